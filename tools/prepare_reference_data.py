#!/usr/bin/env python3
"""Rebuild Hearth's shipped reference data (`reference/*.csv.gz`) from the shared public data.

Usage (from the repository root):

    python3 tools/prepare_reference_data.py [--source ../shared/data] [--out reference]

Standard library only. The output is deterministic: rows are written in a fixed order, CSV with LF line
endings, and gzip with mtime=0 and no file name, so rebuilding from the same inputs gives the same bytes
(and a clean `git diff`). What each file holds and why it is trimmed is in `reference/README.md`.
"""

import argparse
import csv
import gzip
import io
import os
import sys

# The 14 councils that share the portal, by DfE (old) LA code.
PORTAL_LA_CODES = {
    "330", "331", "332", "333", "334", "335", "336", "860", "861", "884", "885", "893", "894", "937",
}
WEST_MIDLANDS = "West Midlands"

# Ofsted provision types Hearth places children with (or, for IFAs, through); the others (boarding
# schools, adoption and family-centre services, colleges, holiday schemes) are not placements.
OFSTED_TYPES_KEPT = {
    "Children's home",
    "Children's Home",
    "Residential special school (registered as a children's home)",
    "Residential Special School",
    "Independent Fostering Agency",
    "Secure children's home",
}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_gz(out_dir, name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    data = buf.getvalue().encode("utf-8")
    path = os.path.join(out_dir, name)
    # Writing through GzipFile with an empty filename and mtime=0 keeps the header free of anything
    # that changes between runs.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)
    print(f"{name}: {len(rows)} rows, {len(data)} bytes -> {os.path.getsize(path)} bytes gzip")


def copy_columns(src, out, source_name, out_name, columns, sort_key):
    """Writes `columns` of a source file, renamed `(new, old)` where the names differ, sorted."""
    rows = read_csv(os.path.join(src, source_name))
    rows.sort(key=sort_key)
    pairs = [c if isinstance(c, tuple) else (c, c) for c in columns]
    write_gz(out, out_name, [new for new, _ in pairs], [[r[old] for _, old in pairs] for r in rows])
    return rows


def postcodes(src, out):
    # Sorted by the postcode text so that each district's postcodes sit together (a space sorts
    # before a digit, so "B1 1AA" comes before "B10 0AA").
    rows = copy_columns(
        src, out, "postcodes_west_midlands.csv", "postcodes_west_midlands.csv.gz",
        ["postcode", "easting", "northing", "lad_code", "utla_code"], lambda r: r["postcode"],
    )
    return {r["postcode"].split(" ")[0] for r in rows}


def geography(src, out):
    copy_columns(
        src, out, "postcode_districts_gb.csv", "postcode_districts_gb.csv.gz",
        ["outcode", "easting", "northing", "live_postcodes", "main_lad_code"], lambda r: r["outcode"],
    )
    copy_columns(
        src, out, "ons_ltla_utla_lookup_apr23.csv", "lad_utla_lookup.csv.gz",
        [("lad_code", "LTLA23CD"), ("lad_name", "LTLA23NM"), ("utla_code", "UTLA23CD"), ("utla_name", "UTLA23NM")],
        lambda r: r["LTLA23CD"],
    )
    copy_columns(
        src, out, "la_lookup_england.csv", "la_lookup_england.csv.gz",
        [
            "old_la_code", "new_la_code", "la_name", "region_name", "region_code", "la_type", "ltla_codes_apr23",
            "centroid_easting", "centroid_northing", "live_postcodes", "ilacs_overall_effectiveness_2025_03_31",
            "ilacs_inspection_date", "west_midlands_portal",
        ],
        lambda r: int(r["old_la_code"]),
    )


def statistical_neighbours(src, out):
    rows = read_csv(os.path.join(src, "dfe_statistical_neighbours_2025.csv"))
    header = list(rows[0].keys())
    kept = [r for r in rows if r["old_la_code"] in PORTAL_LA_CODES]
    kept.sort(key=lambda r: int(r["old_la_code"]))
    # The closeness bands carry stray trailing spaces in the source ("Close "); trim every cell.
    write_gz(out, "statistical_neighbours_west_midlands.csv.gz", header, [[r[c].strip() for c in header] for r in kept])


def ofsted(src, out, wm_districts):
    rows = read_csv(os.path.join(src, "ofsted_csc_providers_2023-03-31.csv"))
    cols = [
        "urn", "provision_type", "registration_date", "registration_status", "name", "postcode",
        "postcode_district", "ofsted_region", "local_authority", "parliamentary_constituency", "sector", "places",
        "short_break_only_childrens_home", "multi_building_childrens_home", "owner_organisation",
        "latest_full_inspection_date", "overall_experiences_and_progress",
        "how_well_children_and_young_people_are_helped_and_protected", "the_effectiveness_of_leaders_and_managers",
    ]

    def kept(r):
        if r["provision_type"] not in OFSTED_TYPES_KEPT:
            return False
        if r["ofsted_region"] == WEST_MIDLANDS:
            return True
        if r["provision_type"] == "Independent Fostering Agency":
            # An agency registered elsewhere whose office is in a West Midlands postcode district
            # recruits and supports carers here.
            return r["postcode_district"] in wm_districts
        # There is no secure children's home in the region: the region's K1 placements are all
        # in the national secure estate, so all of it ships.
        return r["provision_type"] == "Secure children's home"

    out_rows = []
    for r in rows:
        if not kept(r):
            continue
        # Ofsted redacts children's homes' names and addresses; an empty cell says the same thing
        # without a placeholder that looks like data.
        out_rows.append(["" if r[c] == "REDACTED" else r[c] for c in cols])
    out_rows.sort(key=lambda r: r[0])
    write_gz(out, "ofsted_providers_west_midlands.csv.gz", cols, out_rows)


def dfe(src, out, source_name, out_name, data_cols):
    rows = read_csv(os.path.join(src, source_name))
    cols = ["time_period", "geographic_level", "old_la_code", "new_la_code", "la_name"] + data_cols

    def kept(r):
        level = r["geographic_level"]
        if level == "National":
            return True
        if level == "Regional":
            return r["region_name"] == WEST_MIDLANDS
        return r["old_la_code"] in PORTAL_LA_CODES

    level_order = {"National": 0, "Regional": 1, "Local authority": 2}
    kept_rows = [r for r in rows if kept(r)]
    # Stable sort on the keys only, so rows with equal keys keep the publisher's order.
    kept_rows.sort(key=lambda r: (r["time_period"], level_order[r["geographic_level"]], r["old_la_code"]))
    write_gz(out, out_name, cols, [[r[c] for c in cols] for r in kept_rows])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", default=os.path.join(repo, "..", "shared", "data"))
    p.add_argument("--out", default=os.path.join(repo, "reference"))
    a = p.parse_args()
    if not os.path.isdir(a.source):
        sys.exit(f"no source folder {a.source}: pass --source pointing at the shared data")
    os.makedirs(a.out, exist_ok=True)

    wm_districts = postcodes(a.source, a.out)
    geography(a.source, a.out)
    statistical_neighbours(a.source, a.out)
    ofsted(a.source, a.out, wm_districts)
    dfe(a.source, a.out, "dfe_cla_31_march_placements_2021_2025.csv", "dfe_cla_31_march_placements.csv.gz",
        ["cla_group", "characteristic", "number", "percentage"])
    dfe(a.source, a.out, "dfe_cla_new_placements_during_year_2021_2025.csv", "dfe_cla_new_placements.csv.gz",
        ["characteristic", "breakdown", "children_count", "children_percent"])
    dfe(a.source, a.out, "dfe_cla_placement_stability_2021_2025.csv", "dfe_cla_placement_stability.csv.gz",
        ["cla_group", "placement_stability", "children_count", "children_percent"])
    dfe(a.source, a.out, "dfe_cla_number_and_rate_per_10k_2021_2025.csv", "dfe_cla_number_and_rate.csv.gz",
        ["population_type", "population_estimate", "children_count", "rate_per_10000"])


if __name__ == "__main__":
    main()
