"""The shipped Teams icons are the ones Teams asks for and the ones ``bots/teams/icons.py`` draws: a
192x192 full-colour icon and a 32x32 outline that is white on transparent, nothing else."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageColor

from bots.teams import icons


def test_the_color_icon_is_192_square_opaque_full_colour_on_the_accent_colour() -> None:
    with Image.open(icons.HERE / "color.png") as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGB", (192, 192))
        colours = {rgb for _, rgb in image.getcolors(192 * 192)}
        corner = image.getpixel((0, 0))
    assert corner == ImageColor.getrgb(icons.ACCENT)  # the manifest's accentColor, as Teams frames it
    assert {(255, 255, 255), ImageColor.getrgb(icons.GOLD)} <= colours  # the letter and the filled bar


def test_the_outline_icon_is_32_square_white_with_only_its_alpha_drawn() -> None:
    with Image.open(icons.HERE / "outline.png") as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (32, 32))
        red, green, blue, alpha = image.split()
    assert [band.getextrema() for band in (red, green, blue)] == [(255, 255)] * 3
    pixels_at = alpha.histogram()  # how many pixels have each alpha value 0-255
    assert pixels_at[0] and pixels_at[255]  # a transparent background and a solid shape
    assert 0.2 < sum(pixels_at[128:]) / (32 * 32) < 0.6  # a symbol, not a blot or a speck


def test_the_shipped_files_are_what_the_script_draws(tmp_path) -> None:
    for path in icons.main(tmp_path):
        with Image.open(path) as drawn, Image.open(icons.HERE / path.name) as shipped:
            assert (drawn.mode, drawn.size) == (shipped.mode, shipped.size)
            # Within rounding, so another Pillow's polygon edges do not fail the test.
            assert max(high for _, high in ImageChops.difference(drawn, shipped).getextrema()) <= 8
