"""The unit tree's one home for writing: levels from a programme's definition, units placed in bulk, and U2T's
tree (NSI → network → university's work in that network → tambon) built from its records.

Reading the tree is `Unit.ancestor_<depth>` (see tambon.models): a unit's subtree is one integer equality.

U2T and the second relation. In U2T a tambon is reviewed by the network of its AREA, while the university that
works it may belong to another network (the demo has such a university). The tree follows the review line, as
DHIS2's approval levels do: under each network sit the universities working tambons in its area, so a university
working in two areas is two units (one under each network), both linking the same `University` record. The
university's staff hold their role over the `University` (U2T's organisation-unit group, in DHIS2's words), which
covers each of its units: their scope, like everyone's, is the subtrees of units (`access.scope_of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .models import ANCESTOR_FIELDS, Programme, Tambon, Unit, UnitLevel

# U2T's levels when a programme has no definition loaded (a database migrated before programme_load ran).
U2T_LEVELS = (
    ("nsi", "ส่วนกลาง (NSI)", "National SI"),
    ("rsi", "เครือข่ายอุดมศึกษา (RSI)", "Regional SI (network)"),
    ("usi", "มหาวิทยาลัย (USI)", "University SI"),
    ("tsi", "ตำบล (TSI)", "Tambon SI"),
)


def levels_sync(programme: Programme) -> dict[str, UnitLevel]:
    """The programme's levels as its definition lists them (U2T's four when it has none), by code."""
    rows = programme.definition.get("unit_levels") or [
        {"code": code, "depth": depth, "name": {"th": th, "en": en}} for depth, (code, th, en) in enumerate(U2T_LEVELS)
    ]
    out = {}
    for row in rows:
        level, _created = UnitLevel.objects.update_or_create(
            programme=programme, code=row["code"],
            defaults={"depth": row["depth"], "name_th": row["name"]["th"], "name_en": row["name"].get("en") or ""},
        )  # fmt: skip
        out[level.code] = level
    return out


@dataclass(frozen=True)
class UnitRow:
    """A unit to place: its level, its code (unique within the level), its parent's (level, code), names, links."""

    level: str
    code: str
    name_th: str
    name_en: str = ""
    parent: tuple[str, str] | None = None
    links: tuple[tuple[str, object], ...] = ()


def units_place(programme: Programme, rows: Iterable[UnitRow]) -> dict[tuple[str, str], Unit]:
    """Create the units of `rows` that do not exist yet (parents before children), a few queries per level, and
    return every unit of the programme by (level code, unit code). Existing units keep their place."""
    levels = {level.code: level for level in UnitLevel.objects.filter(programme=programme)}
    by_code = {level.pk: level.code for level in levels.values()}
    existing = {(by_code[u.level_id], u.code): u for u in Unit.objects.filter(programme=programme)}
    pending = sorted({(r.level, r.code): r for r in rows}.values(), key=lambda r: levels[r.level].depth)
    for depth in sorted({levels[r.level].depth for r in pending}):
        new = []
        for row in pending:
            if levels[row.level].depth != depth or (row.level, row.code) in existing:
                continue
            parent = existing[row.parent] if row.parent else None
            unit = Unit(programme=programme, level=levels[row.level], parent=parent, depth=depth, code=row.code,
                        name_th=row.name_th, name_en=row.name_en, **dict(row.links))  # fmt: skip
            new.append(unit)
        if not new:
            continue
        Unit.objects.bulk_create(new, batch_size=1000)
        if new[0].pk is None:  # a backend that returns no ids from a bulk insert
            saved = {u.code: u for u in Unit.objects.filter(programme=programme, depth=depth)}
            new = [saved[u.code] for u in new]
        for unit in new:
            unit.parent = existing[(by_code[unit.parent.level_id], unit.parent.code)] if unit.parent_id else None
            unit.set_ancestors()
            existing[(by_code[unit.level_id], unit.code)] = unit
        Unit.objects.bulk_update(new, list(ANCESTOR_FIELDS), batch_size=1000)
    return existing


def u2t_codes(tambon: Tambon) -> dict[str, str]:
    """The unit codes of a U2T tambon's branch: network, university in that network, tambon."""
    network = str(tambon.network.number)
    return {"rsi": network, "usi": f"{network}:{tambon.university.code}", "tsi": tambon.subdistrict_id}


@transaction.atomic
def place_tambons(tambons: list[Tambon]) -> None:
    """Give U2T tambons (university and network set) their branch of the tree and link them to their unit."""
    tambons = [t for t in tambons if t.unit_id is None and t.university_id is not None]
    by_programme: dict[int, list[Tambon]] = {}
    for tambon in tambons:
        by_programme.setdefault(tambon.programme_id, []).append(tambon)
    for programme_id, group in by_programme.items():
        programme = Programme.objects.get(pk=programme_id)
        levels = levels_sync(programme)
        root, network, university, leaf = sorted(levels, key=lambda code: levels[code].depth)[:4]
        rows = [UnitRow(root, programme.code, levels[root].name_th, levels[root].name_en)]
        for tambon in Tambon.objects.filter(pk__in=[t.pk for t in group]).with_place():
            codes = u2t_codes(tambon)
            net, uni = tambon.network, tambon.university
            rows += [
                UnitRow(network, codes["rsi"], net.name_th, net.name_en, (root, programme.code),
                        (("network_id", net.pk),)),
                UnitRow(university, codes["usi"], uni.name_th, uni.name_en, (network, codes["rsi"]),
                        (("university_id", uni.pk), ("network_id", net.pk))),
                UnitRow(leaf, codes["tsi"], tambon.subdistrict.name_th, tambon.subdistrict.name_en,
                        (university, codes["usi"]), (("subdistrict_id", tambon.subdistrict_id),)),
            ]  # fmt: skip
        placed = units_place(programme, rows)
        for tambon in Tambon.objects.filter(pk__in=[t.pk for t in group]).with_place():
            unit = placed[(leaf, u2t_codes(tambon)["tsi"])]
            Tambon.objects.filter(pk=tambon.pk).update(unit=unit)
        for tambon in group:
            tambon.unit_id = placed[(leaf, tambon.subdistrict_id)].pk


def root_of(programme: Programme) -> Unit | None:
    return Unit.objects.filter(programme=programme, depth=0).first()


def u2t_shaped(programme: Programme | None) -> bool:
    """The programme's tree stands on U2T's records (networks, universities): its pages are U2T's network and
    university pages; any other programme's are the unit pages."""
    if programme is None:
        return True
    cached = getattr(programme, "_u2t_shaped", None)
    if cached is None:
        has_units = Unit.objects.filter(programme=programme).exists()
        cached = not has_units or Unit.objects.filter(programme=programme, network__isnull=False).exists()
        programme._u2t_shaped = cached
    return cached


def unit_path(unit: Unit, *, including: bool = True) -> list[Unit]:
    """The units from the root down to `unit` (or to its parent), with their levels: one query."""
    ids = unit.ancestor_ids() if including else unit.ancestor_ids()[:-1]
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("level")}
    return [found[pk] for pk in ids if pk in found]
