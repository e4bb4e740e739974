"""Product silhouettes for the example shop's images, drawn with Pillow primitives.

Every shape draws on a 1000 x 1000 design grid through `Pen`, in the product's
colour with a darker and a lighter shade for details. `SHAPES` maps a product
slug (for one-off shapes) or a category slug (for the rest) to its drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import ImageDraw

RGB = tuple[int, int, int]


def shade(colour: RGB, factor: float) -> RGB:
    """Darken (factor < 1) or lighten (factor > 1, towards white) a colour."""
    if factor <= 1:
        return (int(colour[0] * factor), int(colour[1] * factor), int(colour[2] * factor))
    t = factor - 1
    r, g, b = (int(c + (255 - c) * t) for c in colour)
    return (r, g, b)


class Pen:
    """Draws on a 1000 x 1000 design grid, whatever the canvas size."""

    def __init__(self, draw: ImageDraw.ImageDraw, size: int, colour: RGB) -> None:
        self.d, self.k, self.c = draw, size / 1000, colour
        self.dark, self.light = shade(colour, 0.72), shade(colour, 1.35)

    def _pts(self, pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * self.k, y * self.k) for x, y in pts]

    def poly(self, pts: Sequence[tuple[float, float]], fill: RGB | None = None) -> None:
        """A filled polygon (the product colour unless told otherwise)."""
        self.d.polygon(self._pts(pts), fill=fill or self.c)

    def box(
        self, x0: float, y0: float, x1: float, y1: float, r: float = 0, fill: RGB | None = None
    ) -> None:
        """A filled rectangle with rounded corners of radius r."""
        xy = (x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k)
        self.d.rounded_rectangle(xy, radius=r * self.k, fill=fill or self.c)

    def oval(self, x0: float, y0: float, x1: float, y1: float, fill: RGB | None = None) -> None:
        """A filled ellipse."""
        self.d.ellipse((x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k), fill=fill or self.c)

    def chord(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        start: float,
        end: float,
        fill: RGB | None = None,
    ) -> None:
        """A filled segment of an ellipse between two angles (degrees, clockwise from 3 o'clock)."""
        xy = (x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k)
        self.d.chord(xy, start, end, fill=fill or self.c)

    def line(
        self, pts: Sequence[tuple[float, float]], width: float, fill: RGB | None = None
    ) -> None:
        """A polyline of the given width."""
        self.d.line(
            self._pts(pts), fill=fill or self.dark, width=max(1, int(width * self.k)), joint="curve"
        )


WHITE: RGB = (246, 245, 240)
CORK: RGB = (196, 150, 100)


def shoe(p: Pen, boot: bool = False) -> None:
    """A trail shoe (or, with a high collar, a hiking boot) seen from the side."""
    top = 330 if boot else 430
    p.poly(
        [
            (170, 640),
            (200, 520),
            (330, 470),
            (420, top),
            (560, top - 10),
            (590, 470),
            (700, 520),
            (820, 560),
            (860, 620),
            (850, 660),
            (170, 660),
        ]
    )
    p.poly([(700, 525), (820, 565), (858, 622), (850, 650), (760, 640)], p.light)
    p.box(150, 640, 870, 700, 30, WHITE)
    p.box(150, 690, 870, 730, 18, p.dark)
    for x in range(190, 860, 60):
        p.box(x, 722, x + 34, 748, 6, p.dark)
    for i in range(4):
        y = top + 40 + i * 35
        p.line([(560 - i * 30, y), (610 - i * 20, y + 30)], 12, WHITE)
    p.box(140, 600, 220, 650, 20, p.dark)


def jacket(p: Pen, hood: bool = True, quilted: bool = False, zip_len: float = 1.0) -> None:
    """A jacket or top from the front; quilted draws down baffles."""
    p.poly(
        [
            (330, 250),
            (670, 250),
            (800, 330),
            (880, 700),
            (800, 720),
            (730, 450),
            (730, 800),
            (270, 800),
            (270, 450),
            (200, 720),
            (120, 700),
            (200, 330),
        ]
    )
    if hood:
        p.chord(370, 130, 630, 360, 180, 360)
        p.chord(420, 190, 580, 330, 180, 360, p.dark)
    if quilted:
        for y in range(340, 800, 70):
            p.line([(280, y), (720, y)], 6)
    p.line([(500, 250), (500, 250 + 550 * zip_len)], 10, WHITE if p.c[0] < 90 else p.dark)
    p.box(270, 770, 730, 800, 8, p.dark)


def tee(p: Pen) -> None:
    """A T-shirt from the front."""
    p.poly(
        [
            (360, 230),
            (640, 230),
            (820, 320),
            (770, 440),
            (700, 410),
            (700, 800),
            (300, 800),
            (300, 410),
            (230, 440),
            (180, 320),
        ]
    )
    p.chord(420, 190, 580, 290, 0, 180, p.dark)


def trousers(p: Pen) -> None:
    """Trousers from the front."""
    p.poly([(320, 180), (680, 180), (720, 830), (560, 830), (500, 380), (440, 830), (280, 830)])
    p.box(315, 170, 685, 220, 10, p.dark)
    p.box(570, 420, 660, 520, 10, p.dark)


def pack(p: Pen, wide: bool = False) -> None:
    """A backpack from the front with lid, pocket and straps."""
    x0, x1 = (240, 760) if wide else (300, 700)
    p.box(x0 - 30, 300, x0 + 10, 720, 20, p.dark)
    p.box(x1 - 10, 300, x1 + 30, 720, 20, p.dark)
    p.box(x0, 220, x1, 820, 90)
    p.box(x0 + 20, 200, x1 - 20, 360, 70, p.light)
    p.box(x0 + 70, 520, x1 - 70, 780, 50, p.dark)
    p.line([(x0 + 90, 560), (x1 - 90, 560)], 10, WHITE)
    p.box(480, 150, 520, 230, 18, p.dark)


def vest(p: Pen) -> None:
    """A running vest with two soft flasks."""
    p.poly([(300, 200), (420, 200), (470, 480), (470, 800), (280, 800), (250, 450)])
    p.poly([(700, 200), (580, 200), (530, 480), (530, 800), (720, 800), (750, 450)])
    for x in (300, 570):
        p.box(x, 380, x + 130, 640, 50, (236, 242, 246))
        p.box(x + 45, 330, x + 85, 390, 12, p.dark)
    p.line([(440, 560), (560, 560)], 14)
    p.line([(440, 660), (560, 660)], 14)


def duffel(p: Pen) -> None:
    """A duffel bag with straps."""
    p.box(150, 380, 850, 760, 180)
    p.chord(300, 380, 700, 640, 180, 360, p.light)
    p.line([(230, 500), (500, 380), (770, 500)], 12, p.dark)
    for x in (330, 640):
        p.line([(x, 380), (x, 760)], 22, p.dark)
    p.line([(330, 385), (400, 280), (600, 280), (640, 385)], 22, p.dark)


def cubes(p: Pen) -> None:
    """Three packing cubes, stacked."""
    for x0, y0, x1, y1 in ((180, 560, 820, 800), (240, 380, 760, 560), (320, 240, 680, 380)):
        p.box(x0, y0, x1, y1, 30)
        p.box(x0 + 25, y0 + 20, x1 - 25, y0 + (y1 - y0) * 0.55, 20, p.light)


def tent(p: Pen, solo: bool = False) -> None:
    """A dome tent (or a single-pole solo shelter) with its door."""
    if solo:
        p.poly([(120, 760), (520, 260), (880, 760)])
        p.poly([(420, 760), (520, 390), (620, 760)], p.dark)
        p.line([(520, 260), (520, 760)], 8, (90, 90, 90))
        return
    p.chord(120, 300, 880, 1220, 180, 360)
    p.chord(330, 440, 670, 1080, 180, 360, p.dark)
    p.line([(170, 640), (500, 310), (830, 640)], 8, p.light)
    p.box(100, 755, 900, 775, 8, shade(p.c, 0.5))


def sleeping_bag(p: Pen) -> None:
    """A mummy sleeping bag seen from above."""
    p.poly([(380, 150), (620, 150), (680, 330), (640, 850), (360, 850), (320, 330)])
    p.oval(410, 170, 590, 320, p.dark)
    for y in range(380, 850, 70):
        p.line([(345, y), (655, y)], 6)
    p.line([(640, 330), (610, 820)], 8, p.light)


def mat(p: Pen) -> None:
    """A sleeping mat lying flat, its far end still rolled up."""
    p.poly([(150, 790), (850, 790), (780, 560), (220, 560)])
    for i in range(1, 7):
        x = 150 + i * 100
        p.line([(x, 785), (220 + i * 80, 565)], 6)
    p.box(200, 450, 800, 585, 67, p.dark)
    p.oval(735, 450, 835, 585, p.light)
    p.oval(765, 490, 805, 545, p.dark)


def pot(p: Pen) -> None:
    """A titanium pot with lid and folding handles."""
    p.box(290, 380, 710, 760, 30)
    p.oval(290, 720, 710, 800, p.dark)
    p.oval(280, 340, 720, 420, p.light)
    p.box(470, 320, 530, 360, 10, p.dark)
    p.line([(710, 470), (850, 440), (850, 500)], 22, (40, 40, 40))
    p.line([(290, 470), (150, 440), (150, 500)], 22, (40, 40, 40))


def stove(p: Pen) -> None:
    """A compact stove on a gas canister."""
    p.box(320, 540, 680, 800, 60)
    p.oval(320, 500, 680, 580, p.light)
    p.box(470, 420, 530, 520, 10, (70, 70, 74))
    p.box(410, 380, 590, 430, 20, (110, 110, 116))
    for pts in (((420, 390), (300, 330)), ((580, 390), (700, 330)), ((500, 390), (500, 310))):
        p.line(pts, 18, (70, 70, 74))
    p.box(380, 620, 620, 700, 10, WHITE)


def socks(p: Pen) -> None:
    """A pair of crew socks."""
    for dx in (0, 140):
        p.poly(
            [
                (260 + dx, 180),
                (400 + dx, 180),
                (400 + dx, 600),
                (600 + dx, 700),
                (600 + dx, 820),
                (300 + dx, 820),
                (260 + dx, 700),
            ],
            p.c if dx else p.dark,
        )
        p.box(255 + dx, 170, 405 + dx, 240, 10, p.light)
        p.box(520 + dx, 700, 610 + dx, 820, 40, p.light)


def beanie(p: Pen) -> None:
    """A rib-knit beanie."""
    p.chord(260, 200, 740, 900, 180, 360)
    p.box(240, 520, 760, 700, 30, p.dark)
    for x in range(270, 750, 40):
        p.line([(x, 530), (x, 690)], 6, p.c)
        p.line([(x + 10, 260 + abs(500 - x) * 0.5), (x + 10, 510)], 4, p.dark)


def gloves(p: Pen) -> None:
    """A pair of gloves, back and palm."""
    for x0, f in ((170, p.c), (520, p.dark)):
        p.box(x0, 420, x0 + 300, 760, 60, f)
        for i in range(4):
            p.box(x0 + 10 + i * 72, 220 + abs(1.5 - i) * 40, x0 + 72 + i * 72, 480, 30, f)
        p.box(x0 - 50, 470, x0 + 40, 640, 40, f)
        p.box(x0 + 10, 740, x0 + 290, 820, 20, shade(f, 0.8))


def cap(p: Pen) -> None:
    """A running cap from the side."""
    p.chord(250, 300, 700, 800, 180, 360)
    p.poly([(640, 540), (880, 560), (860, 600), (640, 580)], p.dark)
    p.oval(455, 280, 495, 320, p.dark)


def poles(p: Pen) -> None:
    """A pair of trekking poles, extended."""
    for x0, x1 in ((380, 460), (560, 620)):
        p.line([(x0, 200), (x1, 880)], 22, p.c)
        p.box(x0 - 30, 140, x0 + 30, 330, 25, CORK)
        p.oval(x1 - 45, 800, x1 + 45, 830, p.dark)
        p.line([(x0 + 17, 355), (x0 + 28, 450)], 24, (200, 200, 200))


def harness(p: Pen) -> None:
    """A climbing harness: waist belt, leg loops, belay loop."""
    p.d.ellipse((200 * p.k, 250 * p.k, 800 * p.k, 500 * p.k), outline=p.c, width=int(70 * p.k))
    for x in (250, 530):
        p.d.ellipse(
            (x * p.k, 520 * p.k, (x + 220) * p.k, 800 * p.k), outline=p.c, width=int(50 * p.k)
        )
    p.line([(500, 490), (500, 580)], 34, p.dark)
    for x in (230, 330, 670, 770):
        p.line([(x, 420), (x, 480)], 18, (40, 40, 40))


def helmet(p: Pen) -> None:
    """A climbing helmet from the side."""
    p.chord(220, 260, 780, 860, 180, 360)
    for x in (330, 450, 570):
        p.box(x, 360, x + 80, 400, 18, shade(p.c, 0.55))
    p.box(210, 540, 790, 580, 18, p.dark)
    p.line([(330, 580), (420, 720), (560, 720), (660, 580)], 12, (60, 60, 60))


def chalk_bag(p: Pen) -> None:
    """A chalk bag with a stiff rim, drawcord and brush holder."""
    p.line([(150, 640), (850, 640)], 16, (60, 60, 60))
    p.poly([(320, 360), (680, 360), (700, 700), (640, 800), (360, 800), (300, 700)])
    p.box(300, 310, 700, 380, 30, p.dark)
    p.line([(470, 315), (450, 210)], 10, WHITE)
    p.line([(530, 315), (550, 210)], 10, WHITE)
    p.box(440, 180, 560, 225, 18, (60, 60, 60))
    p.box(680, 430, 740, 640, 20, p.dark)


def chalk_pouch(p: Pen) -> None:
    """A resealable pouch of loose chalk."""
    p.box(300, 200, 700, 820, 30, (60, 64, 70))
    p.box(300, 260, 700, 280, 0, (30, 32, 36))
    p.box(360, 420, 640, 640, 20, p.c)
    p.box(400, 470, 600, 500, 8, (60, 64, 70))


ShapeFn = Callable[[Pen], None]
SHAPES: dict[str, ShapeFn] = {
    "trail-running": shoe,
    "hiking-boots": shoe,
    "granite-leather-mountain-boot": lambda p: shoe(p, boot=True),
    "aravis-mid-hiking-boot": lambda p: shoe(p, boot=True),
    "jackets": jacket,
    "boreal-down-jacket": lambda p: jacket(p, hood=False, quilted=True),
    "glacier-insulated-parka": lambda p: jacket(p, quilted=True),
    "midlayers": jacket,
    "merino-150-tee": tee,
    "merino-250-zip-neck": lambda p: jacket(p, hood=False, zip_len=0.3),
    "trousers": trousers,
    "daypacks": pack,
    "trail-vest-8": vest,
    "harbour-duffel-60": duffel,
    "transit-travel-pack-40": lambda p: pack(p, wide=True),
    "packing-cubes-set": cubes,
    "tents": tent,
    "bivouac-1-tent": lambda p: tent(p, solo=True),
    "sleeping": sleeping_bag,
    "insulated-air-mat": mat,
    "titanium-pot-750": pot,
    "compact-canister-stove": stove,
    "socks": socks,
    "merino-beanie": beanie,
    "windproof-fleece-gloves": gloves,
    "sun-trail-cap": cap,
    "trekking-poles": poles,
    "harnesses": harness,
    "helmets": helmet,
    "chalk-bag": chalk_bag,
    "loose-chalk-300": chalk_pouch,
}
