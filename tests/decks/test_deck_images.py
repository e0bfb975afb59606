"""Image checks with real Pillow files: fakes, truncations and image bombs are refused."""

from __future__ import annotations

import pytest
from deck_helpers import make_image, png_header_only

from kiosk.decks.images import MAX_PIXELS, ImageProblem, inspect_image, inspect_images


def test_png_and_jpeg_sizes(tmp_path):
    png = inspect_image(make_image(tmp_path / "a.PNG", (640, 360)))
    jpeg = inspect_image(make_image(tmp_path / "b.JPG", (320, 200)))
    assert (png.format, png.size) == ("PNG", (640, 360))
    assert (jpeg.format, jpeg.size) == ("JPEG", (320, 200))


def test_a_jpeg_named_png_is_still_a_picture(tmp_path):
    info = inspect_image(make_image(tmp_path / "photo.png", (100, 80), "JPEG"))
    assert info.format == "JPEG"


def test_a_text_file_renamed_png_is_refused(tmp_path):
    path = tmp_path / "page.png"
    path.write_text("Dear patient, this is not a picture")
    with pytest.raises(ImageProblem, match="is not a PNG or JPEG picture"):
        inspect_image(path)


@pytest.mark.parametrize("name", ["page.png", "page.jpg"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_images_are_refused(tmp_path, name, keep):
    path = make_image(tmp_path / name, (600, 400))
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ImageProblem, match="damaged or cut short"):
        inspect_image(path)


def test_a_png_missing_only_its_last_bytes_is_refused(tmp_path):
    path = make_image(tmp_path / "page.png")
    path.write_bytes(path.read_bytes()[:-6])
    with pytest.raises(ImageProblem):
        inspect_image(path)


def test_a_gif_is_refused_by_name(tmp_path):
    path = make_image(tmp_path / "anim.png", (50, 50), "GIF")
    with pytest.raises(ImageProblem, match="is a GIF file; use PNG or JPEG"):
        inspect_image(path)


def test_decompression_bomb_header_is_refused_before_decoding(tmp_path):
    bomb = png_header_only(tmp_path / "bomb.png", 50_000, 50_000)  # 2.5 gigapixels
    assert bomb.stat().st_size < 200
    results = inspect_images([bomb])
    assert isinstance(results[bomb], ImageProblem)
    assert "far too big" in str(results[bomb])


def test_pixel_cap_below_pillows_bomb_limit(tmp_path):
    big = png_header_only(tmp_path / "big.png", 6000, 5000)  # 30 MP: over our cap only
    assert 6000 * 5000 > MAX_PIXELS
    with pytest.raises(ImageProblem, match=r"far too big \(6000 x 5000 pixels\)"):
        inspect_image(big)
    with pytest.raises(ImageProblem):
        inspect_image(big, thorough=False)


def test_many_images_checked_together(tmp_path):
    paths = [make_image(tmp_path / f"{n}.png", (200, 100)) for n in range(6)]
    paths[3].write_bytes(b"junk")
    results = inspect_images(paths)
    assert [isinstance(results[p], ImageProblem) for p in paths] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]
