"""The Teams app icons, drawn from shapes (no fonts): a letter A over a mastery bar.

``color.png`` is 192x192, white and gold on the manifest's accent colour; ``outline.png`` is 32x32, white on
transparent (only its alpha varies). Shapes are drawn 8x larger and averaged down, so edges are smooth and
the result depends on no font or resampling filter. Redraw the shipped files with
``python -m bots.teams.icons``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = json.loads((HERE / "manifest.json").read_text())["accentColor"]  # the colour Teams puts around it
GOLD = "#F2C14E"
SCALE = 8  # supersampling factor
MASTERY = 0.62  # how full the bar is


def _letter(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], stroke: float) -> None:
    """A geometric A filling ``box`` (pixels of the large canvas), legs ``stroke`` wide."""
    left, top, right, bottom = box
    middle, flat = (left + right) / 2, stroke * 0.55
    draw.polygon([(middle - flat, top), (middle + flat, top), (right, bottom), (left, bottom)], fill=255)
    # The counter: the same slope inside each leg, then the crossbar put back as a slice of it.
    inner_left, inner_right, inner_top = left + stroke * 1.25, right - stroke * 1.25, top + stroke * 1.6

    def edge(y: float, x_bottom: float) -> float:
        return middle + (x_bottom - middle) * (y - inner_top) / (bottom - inner_top)

    draw.polygon([(middle, inner_top), (inner_right, bottom), (inner_left, bottom)], fill=0)
    bar_top = top + (bottom - top) * 0.60
    bar_bottom = bar_top + stroke * 0.8
    draw.polygon([(edge(bar_top, inner_left), bar_top), (edge(bar_top, inner_right), bar_top),
                  (edge(bar_bottom, inner_right), bar_bottom), (edge(bar_bottom, inner_left), bar_bottom)],
                 fill=255)  # fmt: skip


def _masks(size: int, letter: tuple, bar: tuple, frame: float) -> tuple[Image.Image, Image.Image, Image.Image]:
    """Coverage masks (mode L, ``size`` square) of the letter, the bar's empty track and its filled part.

    ``letter`` is (left, top, right, bottom, stroke) and ``bar`` (left, top, right, bottom) in final pixels;
    ``frame`` > 0 leaves only a frame of that width of the empty track (for a one-colour icon)."""
    big = size * SCALE
    layers = [Image.new("L", (big, big), 0) for _ in range(3)]
    *box, stroke = (v * SCALE for v in letter)
    _letter(ImageDraw.Draw(layers[0]), tuple(box), stroke)
    left, top, right, bottom = (v * SCALE for v in bar)
    radius = (bottom - top) / 2
    filled = left + (right - left) * MASTERY
    track = ImageDraw.Draw(layers[1])
    track.rounded_rectangle((left, top, right, bottom), radius, fill=255)
    if frame:
        inset = frame * SCALE
        track.rounded_rectangle((left + inset, top + inset, right - inset, bottom - inset), radius - inset, fill=0)
    ImageDraw.Draw(layers[2]).rounded_rectangle((left, top, filled, bottom), radius, fill=255)
    return tuple(layer.resize((size, size), Image.Resampling.BOX) for layer in layers)


def color() -> Image.Image:
    """192x192 RGB: a white A and a gold mastery bar on the accent colour, inside Teams' safe margin."""
    letter, track, filled = _masks(192, (52, 30, 140, 118, 17), (40, 136, 152, 158), frame=0)
    icon = Image.new("RGB", (192, 192), ACCENT)
    icon.paste("#6F93B3", mask=track)  # the empty part: the accent lightened
    icon.paste(GOLD, mask=filled)
    icon.paste("white", mask=letter)
    return icon


def outline() -> Image.Image:
    """32x32 RGBA: the same A and bar in white on transparent, the bar's empty part as a frame."""
    letter, track, filled = _masks(32, (6, 1, 26, 21, 4.0), (2, 24, 30, 31), frame=1.25)
    alpha = ImageChops.lighter(ImageChops.lighter(letter, track), filled)  # the most coverage where shapes touch
    icon = Image.new("RGBA", (32, 32), (255, 255, 255, 0))
    icon.putalpha(alpha)
    return icon


def main(folder: Path = HERE) -> list[Path]:
    """Write color.png and outline.png into ``folder``; their paths."""
    paths = [folder / "color.png", folder / "outline.png"]
    for path, image in zip(paths, (color(), outline()), strict=True):
        image.save(path, optimize=True)
    return paths


if __name__ == "__main__":
    for written in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written)
