"""Publish a build to the AWS stack from infra/template.yaml: `python build.py deploy`.

Stages, in the order they run (see `publish.py`): read the stack outputs, plan the
site upload against the bucket, seed stock for new SKUs, upload the catalog
snapshot, upload changed files (assets before pages), delete files no longer built,
then invalidate the changed paths in CloudFront.
"""
