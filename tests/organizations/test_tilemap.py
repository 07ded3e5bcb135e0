"""The tile map of regions: geographic positions, shades that follow the values, a list for regions off the grid."""

from types import SimpleNamespace

from masar.organizations.tilemap import GAP, TILE_GRID, TILE_WIDTH, label_lines, shade_of, tile_map


def region(pk, code, name):
    return SimpleNamespace(pk=pk, code=code, name=name)


def test_every_governorate_and_region_of_the_demo_has_its_own_place_on_the_grid():
    from masar.demo.data.regions import COUNTRIES

    for country in COUNTRIES:
        codes = [code for code, *_names in country["subdivisions"]]
        assert codes and all(code in TILE_GRID for code in codes), country["code"]
        places = [TILE_GRID[code] for code in codes]
        assert len(set(places)) == len(places), country["code"]


def test_tiles_are_placed_west_to_east_and_north_to_south_whatever_the_language():
    places = [region(1, "TN-83", "تطاوين"), region(2, "TN-32", "جندوبة"), region(3, "TN-21", "نابل")]
    drawn = tile_map([(place, 1, None) for place in places])
    tiles = {t.code: t for t in (drawn.tiles if drawn else [])}
    assert set(tiles) == {"TN-83", "TN-32", "TN-21"}
    # Jendouba is on the western border, Nabeul on the eastern coast, Tataouine in the south.
    assert tiles["TN-32"].x == 0 and tiles["TN-21"].x == 4 * (TILE_WIDTH + GAP)
    assert tiles["TN-83"].y > tiles["TN-21"].y > tiles["TN-32"].y
    assert drawn.width == tiles["TN-21"].x + TILE_WIDTH


def test_a_region_without_a_place_is_listed_and_a_map_of_no_placed_region_is_none():
    drawn = tile_map([(region(1, "TN-11", "Tunis"), 3, "/x"), (region(2, "XX-1", "Elsewhere"), 1, "/y")])
    assert [t.code for t in drawn.tiles] == ["TN-11"]
    assert [(t.code, t.value, t.url) for t in drawn.unplaced] == [("XX-1", 1, "/y")]
    assert tile_map([(region(2, "XX-1", "Elsewhere"), 1, "/y")]) is None
    assert tile_map([]) is None


def test_counts_are_shaded_from_zero_and_values_from_the_lowest_to_the_highest():
    assert [shade_of(n, 0, 8) for n in (None, 0, 1, 2, 4, 8)] == [0, 0, 1, 1, 2, 4]
    assert [shade_of(v, 40, 80, counts=False) for v in (None, 40, 60, 80)] == [0, 1, 3, 4]
    assert shade_of(0, 0, 0, counts=False) == 2  # every region has the same value
    drawn = tile_map(
        [(region(1, "TN-11", "Tunis"), 0, None), (region(2, "TN-61", "Sfax"), 5, None)],
    )
    shades = {t.code: (t.shade, t.fill) for t in drawn.tiles}
    assert shades["TN-11"][0] == 0 and shades["TN-61"][0] == 4 and shades["TN-11"][1] != shades["TN-61"][1]


def test_long_names_are_broken_at_their_separators():
    assert label_lines("تونس") == ("تونس",)
    assert label_lines("طنجة - تطوان - الحسيمة") == ("طنجة - تطوان -", "الحسيمة")
    assert label_lines("Béni Mellal-Khénifra") == ("Béni Mellal-", "Khénifra")
    assert all(len(line) <= 16 for line in label_lines("Laâyoune-Sakia El Hamra"))
