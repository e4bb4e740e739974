"""Responsive image variants: sizes, formats, the cache, bad input, and the <picture> markup."""

from __future__ import annotations

import io
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest
from lxml import html as lxml_html
from PIL import Image

from storefront.errors import ContentErrors
from storefront.image_generation import generate_images, prepare_images
from storefront.images import FORMATS, ImagePlan, plan_image, variant_widths
from storefront.pipeline import build_site
from storefront.validate_images import image_size
from tests.build.catalog_factory import make_catalog, make_mug
from tests.build.content_fixtures import MINIMAL

PILLOW_FORMAT = {mime: pillow for pillow, _, mime, _ in FORMATS}


def _photo(path: Path, size: tuple[int, int], mode: str = "RGB") -> None:
    """A small picture with some detail (a gradient), so encoders have work to do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.linear_gradient("L").resize(size).convert(mode)
    image.save(path)


def _plan(content: Path, *sources: str) -> ImagePlan:
    images = {}
    for src in sources:
        with Image.open(content / src) as image:
            width, height = image.size
        images["/" + src] = plan_image(src, (content / src).read_bytes(), width, height)
    return ImagePlan(images)


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_widths_never_upscale_and_end_at_the_source_width_or_the_largest() -> None:
    assert variant_widths(2000) == (320, 640, 960, 1280)
    assert variant_widths(1200) == (320, 640, 960, 1200)
    assert variant_widths(640) == (320, 640)
    assert variant_widths(200) == (200,)


def test_every_variant_has_its_planned_pixel_size_and_format(tmp_path: Path) -> None:
    # Given a landscape JPEG and a small PNG with transparency
    content = tmp_path / "content"
    _photo(content / "images/wide.jpg", (1000, 750))
    _photo(content / "images/small.png", (300, 200), mode="RGBA")
    plan = _plan(content, "images/wide.jpg", "images/small.png")

    # When the variants are generated
    result = generate_images(plan, content, tmp_path / "cache", workers=2)

    # Then each file opens as the planned format at the planned size, with the source aspect
    files = {f.path: f.data for f in result.files}
    wide = plan.images["/images/wide.jpg"]
    assert sorted({v.width for v in wide.variants}) == [320, 640, 960, 1000]
    assert {v.mime for v in wide.variants} == {"image/avif", "image/webp", "image/jpeg"}
    assert len(files) == len(wide.variants) + len(plan.images["/images/small.png"].variants)
    for image in plan.images.values():
        for variant in image.variants:
            output = tmp_path / "out" / variant.path
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(files[variant.path])
            with Image.open(output) as opened:
                assert opened.format == PILLOW_FORMAT[variant.mime], variant.path
                assert opened.size == (variant.width, variant.height), variant.path
            assert variant.height == round(image.height * variant.width / image.width)
            assert variant.path.startswith(f"images/{PurePosixPath(image.src).stem}-")


def test_a_second_run_processes_and_rewrites_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _photo(content / "images/a.jpg", (700, 700))
    _photo(content / "images/b.jpg", (400, 500))
    plan = _plan(content, "images/a.jpg", "images/b.jpg")
    cache = tmp_path / "cache"

    first = generate_images(plan, content, cache, workers=2)
    before = _mtimes(cache)
    second = generate_images(plan, content, cache, workers=2)

    assert (first.processed, first.reused) == (2, 0)
    assert (second.processed, second.reused) == (0, 2)
    assert _mtimes(cache) == before  # no cache file written again
    assert {f.path: f.data for f in second.files} == {f.path: f.data for f in first.files}


def test_a_changed_image_is_processed_again_under_new_names(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _photo(content / "images/a.jpg", (700, 700))
    _photo(content / "images/b.jpg", (400, 500))
    cache = tmp_path / "cache"
    old = generate_images(_plan(content, "images/a.jpg", "images/b.jpg"), content, cache)

    # When one photo is replaced (same name, new pixels)
    Image.new("RGB", (700, 700), "red").save(content / "images/a.jpg")
    new = generate_images(_plan(content, "images/a.jpg", "images/b.jpg"), content, cache)

    assert (new.processed, new.reused) == (1, 1)
    renamed = {f.path for f in new.files} - {f.path for f in old.files}
    assert renamed
    assert all(p.startswith("images/a-") for p in renamed)  # a new hash in the name


def test_an_undecodable_image_is_a_content_error_naming_the_file(tmp_path: Path) -> None:
    # Given a JPEG whose header is fine (it passes validation) but whose data is cut off
    content = tmp_path / "content"
    _photo(content / "images/good.jpg", (400, 400))
    _photo(content / "images/cut.jpg", (400, 400))
    data = (content / "images/cut.jpg").read_bytes()
    (content / "images/cut.jpg").write_bytes(data[: len(data) // 3])
    plan = ImagePlan(
        {
            "/images/good.jpg": plan_image(
                "images/good.jpg", (content / "images/good.jpg").read_bytes(), 400, 400
            ),
            "/images/cut.jpg": plan_image("images/cut.jpg", data[: len(data) // 3], 400, 400),
        }
    )

    with pytest.raises(ContentErrors) as raised:
        generate_images(plan, content, tmp_path / "cache", workers=2)

    errors = [str(e) for e in raised.value]
    assert len(errors) == 1
    assert errors[0].startswith(f"{(content / 'images/cut.jpg').as_posix()}: images: ")
    assert "cannot decode" in errors[0]
    assert not (tmp_path / "cache" / plan.images["/images/cut.jpg"].digest / "index.json").exists()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal shop with its photos replaced by 900×600 ones, built with variants."""
    root = tmp_path_factory.mktemp("images-build")
    content = root / "content"
    shutil.copytree(MINIMAL, content)
    for photo in (content / "images").iterdir():
        _photo(photo, (900, 600))
    build_site(content, root / "dist", image_cache=root / "cache")
    return root / "dist"


def _srcset(value: str) -> list[tuple[str, int]]:
    pairs = [candidate.strip().split(" ") for candidate in value.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in pairs]


def test_picture_markup_matches_the_files_written(built: Path) -> None:
    public = built / "public"
    manifest = json.loads((built / "manifest.json").read_text())["files"]
    page = lxml_html.fromstring((public / "products/trail-shoe/index.html").read_bytes())
    pictures = page.xpath("//picture")
    assert pictures
    for picture in pictures:
        # Descendants, not children: libxml2's HTML parser does not know <source> is empty.
        sources = picture.xpath(".//source")
        assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
        img = picture.xpath(".//img")[0]
        assert (img.get("width"), img.get("height")) == ("900", "600")  # the source's size
        assert {s.get("sizes") for s in sources} == {img.get("sizes")}
        candidates = [(s.get("type"), s.get("srcset")) for s in sources]
        candidates.append(("image/jpeg", img.get("srcset")))
        for mime, srcset in candidates:
            for url, width in _srcset(srcset):
                with Image.open(public / url.lstrip("/")) as opened:
                    assert opened.size == (width, round(600 * width / 900)), url
                    assert opened.format == PILLOW_FORMAT[mime], url
                entry = manifest[url.lstrip("/")]
                assert entry["cache_control"] == "public, max-age=31536000, immutable"
                assert entry["content_type"] == mime
        assert (public / img.get("src").lstrip("/")).is_file()


def test_the_main_product_image_is_eager_and_high_priority_the_others_lazy(built: Path) -> None:
    page = lxml_html.fromstring((built / "public/products/trail-shoe/index.html").read_bytes())
    images = page.xpath("//picture//img")
    main = page.xpath('//*[contains(@class, "gallery-item")]//img')[0]
    assert main.get("fetchpriority") == "high"
    assert main.get("loading") is None
    others = [img for img in images if img is not main]
    assert others  # the related product's card
    assert all(img.get("loading") == "lazy" for img in others)


def test_without_images_pages_show_the_originals(tmp_path: Path) -> None:
    build_site(MINIMAL, tmp_path / "dist", image_cache=None)
    public = tmp_path / "dist/public"
    page = lxml_html.fromstring((public / "products/trail-shoe/index.html").read_bytes())
    assert not page.xpath("//picture")
    sources = page.xpath("//img/@src")
    assert "/images/trail-shoe-1.png" in sources
    assert all((public / src.lstrip("/")).is_file() for src in sources)
    assert not [p for p in (public / "images").iterdir() if p.name.count(".") > 1]


def test_a_photo_turned_by_exif_is_measured_and_encoded_upright(tmp_path: Path) -> None:
    # Given a 600×400 JPEG whose EXIF orientation (6) says: turn it a quarter to show it
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (600, 400), "navy").save(content / "images/turned.jpg", exif=exif)

    size = image_size(content, "images/turned.jpg", {})
    image = plan_image("images/turned.jpg", (content / "images/turned.jpg").read_bytes(), 400, 600)
    result = generate_images(ImagePlan({"/images/turned.jpg": image}), content, tmp_path / "c")

    assert size == (400, 600)  # as shown: portrait
    for variant in image.variants:
        data = next(f.data for f in result.files if f.path == variant.path)
        with Image.open(io.BytesIO(data)) as opened:
            assert opened.size == (variant.width, variant.height)
            assert variant.height > variant.width


def test_transparent_png_keeps_alpha_in_avif_and_webp_and_is_white_in_jpeg(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(content / "images/clear.png")
    plan = _plan(content, "images/clear.png")

    result = generate_images(plan, content, tmp_path / "cache")

    for output in result.files:
        with Image.open(io.BytesIO(output.data)) as opened:
            pixel = opened.convert("RGBA").getpixel((10, 10))
            assert isinstance(pixel, tuple)
            if output.path.endswith(".jpg"):
                assert pixel == (255, 255, 255, 255), output.path
            else:
                assert pixel[3] == 0, output.path


def test_generating_removes_cache_entries_unused_for_a_month(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _photo(content / "images/a.jpg", (400, 400))
    cache = tmp_path / "cache"
    forgotten = cache / "0123456789"  # a photo replaced long ago
    forgotten.mkdir(parents=True)
    (forgotten / "index.json").write_text("[]")
    long_ago = 1_000_000_000  # 2001
    os.utime(forgotten / "index.json", (long_ago, long_ago))

    generate_images(_plan(content, "images/a.jpg"), content, cache, workers=1)

    assert not forgotten.exists()
    assert len(list(cache.iterdir())) == 1  # a.jpg's entry


def test_a_16_bit_greyscale_png_keeps_its_tones(tmp_path: Path) -> None:
    # Given a 16-bit greyscale gradient (converting it straight to RGB clips it all white)
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    gradient = Image.linear_gradient("L").resize((400, 400)).convert("I").point(lambda v: v * 256)
    gradient.convert("I;16").save(content / "images/grey16.png")
    plan = _plan(content, "images/grey16.png")

    result = generate_images(plan, content, tmp_path / "cache")

    jpeg = next(f for f in result.files if f.path.endswith(".jpg"))
    with Image.open(io.BytesIO(jpeg.data)) as opened:
        extrema = opened.convert("L").getextrema()
    assert extrema[0] < 30  # type: ignore[operator]
    assert extrema[1] > 220  # type: ignore[operator]


@pytest.mark.parametrize(
    "name", ["chalk bag (1).jpg", "chalk-bag#1.jpg", "a,b.jpg", "shoe?.jpg", "50%.jpg"]
)
def test_an_image_name_that_would_break_its_address_is_refused(tmp_path: Path, name: str) -> None:
    content = tmp_path / "content"
    _photo(content / "images" / name, (40, 30))

    found = image_size(content, f"images/{name}", {})

    assert isinstance(found, str)
    assert found.startswith("expected a file name of letters, digits, dashes, underscores")
    assert f'got "images/{name}"' in found


def test_accented_names_and_camera_mpo_files_are_accepted(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _photo(content / "images/chaussure-été.jpg", (40, 30))
    first, second = Image.new("RGB", (60, 40), "red"), Image.new("RGB", (60, 40), "blue")
    first.save(content / "images/camera.jpg", format="MPO", save_all=True, append_images=[second])

    assert image_size(content, "images/chaussure-été.jpg", {}) == (40, 30)
    assert image_size(content, "images/camera.jpg", {}) == (60, 40)


def test_an_image_too_large_to_decode_safely_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    _photo(content / "images/huge.png", (300, 300))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 20_000)  # 300×300 is over twice that

    found = image_size(content, "images/huge.png", {})

    assert isinstance(found, str)
    assert found.startswith("expected an image of at most 0 megapixels, images/huge.png is larger")


def test_a_photo_saved_twice_under_one_stem_is_one_set_of_variants(tmp_path: Path) -> None:
    # Given the same photo as images/mug.jpg and images/mug.jpeg, each shown by a product
    content = tmp_path / "content"
    mug = make_mug(content)
    (content / "images/mug.jpeg").write_bytes((content / "images/mug.jpg").read_bytes())
    twin = replace(
        mug,
        slug="twin-mug",
        images=(replace(mug.images[0], src="images/mug.jpeg"),),
        variants=(replace(mug.variants[0], sku="MUG-TWIN"),),
    )
    catalog = make_catalog(content, products=(mug, twin))

    plan, files = prepare_images(catalog, tmp_path / "cache")

    # Then both name the same variant files (bytes hash and stem), and each is made once
    assert plan is not None
    first, second = plan.images["/images/mug.jpg"], plan.images["/images/mug.jpeg"]
    assert [v.path for v in first.variants] == [v.path for v in second.variants]
    assert sorted(f.path for f in files) == sorted(v.path for v in first.variants)


def test_an_image_that_cannot_be_decoded_names_the_products_that_show_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    mug = make_mug(content)
    mug = replace(mug, images=(replace(mug.images[0], width=400, height=400),))
    _photo(content / "images/mug.jpg", (400, 400))
    data = (content / "images/mug.jpg").read_bytes()
    (content / "images/mug.jpg").write_bytes(data[: len(data) // 3])  # cut off in a copy
    catalog = make_catalog(content, products=(mug,))

    with pytest.raises(ContentErrors) as raised:
        prepare_images(catalog, tmp_path / "cache")

    [error] = [str(e) for e in raised.value]
    assert error.startswith(f"{(content / 'images/mug.jpg').as_posix()}: images: ")
    assert error.endswith(f"; used by {mug.source_path.as_posix()}")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_an_image_cut_short_is_refused_and_a_whole_one_accepted(
    tmp_path: Path, image_format: str
) -> None:
    # A broken upload: its header (all Pillow reads for the size) is whole, the rest not.
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    data = io.BytesIO()
    Image.effect_noise((120, 80), 60).convert("RGB").save(data, image_format)
    whole, cut = content / "images/whole.img", content / "images/cut.img"
    whole.write_bytes(data.getvalue())
    cut.write_bytes(data.getvalue()[: len(data.getvalue()) * 2 // 3])

    assert image_size(content, "images/whole.img", {}) == (120, 80)
    found = image_size(content, "images/cut.img", {})
    assert found == (
        "expected a whole image file, images/cut.img is cut short (an upload that broke off?): "
        "upload it again"
    )


def test_a_folder_given_as_an_image_is_named_a_folder(tmp_path: Path) -> None:
    # It said "not found" and blamed letter case, of a folder that exists.
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    assert image_size(content, "images/", {}) == (
        'expected an image file like images/x.jpg, got the folder "images/"'
    )
