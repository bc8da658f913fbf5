"""Who may see and edit what. Every page, API view, export and admin list asks here.

Scopes (DOMAIN.md §2):
- NSI admin and NSI reviewer: the whole country.
- RSI reviewer: the tambons in its network's area (whichever university works them), the universities
  that work there or belong to the network, and the network itself.
- University manager and reporter: their university and the tambons it works.

Editing tambon data belongs to the working university's staff (and the NSI admin); reviewing belongs to
the RSI of the tambon's area and the NSI. Out of scope is 404, exactly like a missing object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from pbm.models import Reviewable, ReviewAction, ReviewEvent

from .models import (
    NATIONAL_ROLES,
    UNIVERSITY_ROLES,
    Membership,
    Network,
    Programme,
    Role,
    Tambon,
    Unit,
    UnitLevel,
    University,
    User,
)


@dataclass(frozen=True)
class Grant:
    """A role over a unit and everything under it: what the programme's definition says the role may do."""

    unit_id: int
    depth: int
    programme_id: int
    level: str
    may: frozenset[str]

    def covers(self, unit: Unit | None) -> bool:
        return unit is not None and unit.depth >= self.depth and unit.ancestor_ids()[self.depth] == self.unit_id


@dataclass(frozen=True)
class Scope:
    national: bool = False  # a national role in some programme (U2T's NSI, a programme's root): NSI-only pages
    national_admin: bool = False
    u2t_admin: bool = False  # U2T's NSI admin (a role by record): administers its networks, universities and people
    u2t_national: bool = False  # a U2T national role (NSI, by record): sees U2T's roles by record
    everything: bool = False  # a superuser: every programme
    national_programme_ids: frozenset[int] = field(default_factory=frozenset)
    admin_programme_ids: frozenset[int] = field(default_factory=frozenset)
    network_ids: frozenset[int] = field(default_factory=frozenset)
    university_ids: frozenset[int] = field(default_factory=frozenset)
    manager_university_ids: frozenset[int] = field(default_factory=frozenset)
    grants: tuple[Grant, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.network_ids or self.university_ids or self.grants)

    def grants_by_depth(self, may: str | None = None) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for grant in self.grants:
            if may is None or may in grant.may:
                out.setdefault(grant.depth, []).append(grant.unit_id)
        return out


def role_rules(programme: Programme) -> dict[str, dict]:
    """{role code: {"level": level code, "may": [...]}} from the programme's definition (U2T's five when it has
    none loaded)."""
    return _role_rules(programme.definition.get("roles") if programme.definition else None)


def _role_rules(rows: list[dict] | None) -> dict[str, dict]:
    if not rows:
        return {role: {"level": level, "may": may} for role, (level, may) in U2T_ROLE_RULES.items()}
    return {row["code"]: {"level": row["level"], "may": list(row.get("may") or [])} for row in rows}


# U2T's roles as programmes/u2t-2564.yaml lists them, for a programme loaded before its definition was.
U2T_ROLE_RULES = {
    Role.NSI_ADMIN: ("nsi", ["administer", "review"]), Role.NSI_REVIEWER: ("nsi", ["review"]),
    Role.RSI_REVIEWER: ("rsi", ["file", "review"]), Role.UNIVERSITY_MANAGER: ("usi", ["file", "manage_roster"]),
    Role.UNIVERSITY_REPORTER: ("usi", ["file"]),
}  # fmt: skip


def scope_of(user: User | None) -> Scope:
    """The user's memberships, read once per request (cached on the user object): two queries."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_pbm_scope", None)
    if cached is not None:
        return cached
    rows = list(
        user.memberships.values_list("role", "network_id", "university_id", "unit_id", "unit__depth",
                                     "unit__programme_id", "unit__level__code")
    )  # fmt: skip
    legacy = {role for role, _n, _u, unit, *_rest in rows if unit is None}
    national_programmes, admin_programmes, grants = set(), set(), []
    if legacy & set(NATIONAL_ROLES) or any(unit is not None for *_r, unit, _d, _p, _l in rows):
        # only the roles of each definition, not the whole file: this runs on every request of such a user
        programmes = {pk: _role_rules(roles) for pk, roles in Programme.objects.values_list("pk", "definition__roles")}
        for role in legacy & set(NATIONAL_ROLES):  # U2T's NSI: national in every programme that has the role
            national_programmes |= {pk for pk, rules in programmes.items() if role in rules}
            admin_programmes |= {pk for pk, rules in programmes.items() if role == Role.NSI_ADMIN and role in rules}
        for role, _n, _u, unit, depth, programme_id, level in rows:
            if unit is None:
                continue
            may = frozenset(programmes.get(programme_id, {}).get(role, {}).get("may", ()))
            if depth == 0:  # a role over a programme's root is national in that programme
                national_programmes.add(programme_id)
                if "administer" in may:
                    admin_programmes.add(programme_id)
            grants.append(Grant(unit, depth, programme_id, level, may))
    scope = Scope(
        national=bool(national_programmes) or user.is_superuser,
        national_admin=bool(admin_programmes) or user.is_superuser,
        u2t_admin=Role.NSI_ADMIN in legacy or user.is_superuser,
        u2t_national=bool(legacy & set(NATIONAL_ROLES)) or user.is_superuser,
        everything=user.is_superuser,
        national_programme_ids=frozenset(national_programmes),
        admin_programme_ids=frozenset(admin_programmes),
        network_ids=frozenset(n for role, n, _u, unit, *_r in rows if role == Role.RSI_REVIEWER and unit is None),
        university_ids=frozenset(u for role, _n, u, unit, *_r in rows if role in UNIVERSITY_ROLES and unit is None),
        manager_university_ids=frozenset(
            u for role, _n, u, unit, *_r in rows if role == Role.UNIVERSITY_MANAGER and unit is None
        ),
        grants=tuple(grants),
    )
    user._pbm_scope = scope
    return scope


def programmes_of(user: User | None) -> QuerySet[Programme]:
    """The programmes the user holds a role in (every programme for a superuser), current one first."""
    scope = scope_of(user)
    qs = Programme.objects.order_by("-is_current", "-start_date", "code")
    if scope.everything:
        return qs
    ids = set(scope.national_programme_ids) | {g.programme_id for g in scope.grants}
    if scope.network_ids or scope.university_ids:  # U2T's record memberships: the programmes with U2T's tree
        ids |= set(Unit.objects.filter(network__isnull=False).values_list("programme_id", flat=True).distinct())
    return qs.filter(pk__in=ids)


def programme_list(user: User | None) -> list[Programme]:
    """`programmes_of` read once per request (cached on the user object, like the scope): the programme switch,
    the request's programme and the dashboard's filter all show this list."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_pbm_programmes", None)
    if cached is None:
        cached = user._pbm_programmes = list(programmes_of(user))
    return cached


# --- what a user may see -------------------------------------------------------------------------------


def _subtrees(grants: dict[int, list[int]], prefix: str = "", *, unit: str = "unit") -> Q:
    """Tambons whose unit is under one of the units (by depth): one indexed equality per depth. `unit` names the
    unit's own field when the rows are units, or belong to one, rather than tambons (`prefix + unit`)."""
    q = Q(pk__in=[])
    for depth, unit_ids in sorted(grants.items()):
        q |= Q(**{f"{prefix}{unit}__ancestor_{depth}_id__in": unit_ids})
    return q


def _tambon_filter(scope: Scope, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}network_id__in": scope.network_ids}) | Q(**{f"{prefix}university_id__in": scope.university_ids})
    if scope.national_programme_ids:
        q |= Q(**{f"{prefix}programme_id__in": scope.national_programme_ids})
    return q | _subtrees(scope.grants_by_depth(), prefix)


def _scoped(user: User | None, queryset: QuerySet, condition, *, national_sees_all: bool = True) -> QuerySet:
    """A superuser (and, unless `national_sees_all` is off, a national role) sees every row, a user with no role
    none, everyone else the rows `condition(scope)` keeps."""
    scope = scope_of(user)
    if scope.everything or (national_sees_all and scope.national):
        return queryset
    if scope.is_empty:
        return queryset.none()
    return queryset.filter(condition(scope))


def visible_tambons(user: User | None, queryset: QuerySet[Tambon] | None = None) -> QuerySet[Tambon]:
    """The tambons under the user's units: national roles see their programmes' tambons, not every programme's."""
    return _scoped(user, Tambon.objects.all() if queryset is None else queryset, _tambon_filter,
                   national_sees_all=False)  # fmt: skip


def filter_by_tambon(user: User | None, queryset: QuerySet, path: str = "tambon") -> QuerySet:
    """Scope any queryset of rows that belong to a tambon (reports, people, assessments) by `path`."""
    return _scoped(user, queryset, lambda scope: _tambon_filter(scope, prefix=f"{path}__"), national_sees_all=False)


def visible_units(user: User | None, programme: Programme) -> QuerySet[Unit]:
    """The programme's units the user may open: those under their units (and U2T's by record); all when national."""
    return visible_units_all(user, Unit.objects.filter(programme=programme))


def visible_units_all(user: User | None, queryset: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
    """Units of every programme the user may open (the admin's list)."""
    qs = Unit.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if scope.everything:
        return qs
    q = Q(programme_id__in=scope.national_programme_ids)
    for depth, unit_ids in scope.grants_by_depth().items():
        q |= Q(**{f"ancestor_{depth}_id__in": unit_ids})
    q |= Q(network_id__in=scope.network_ids) | Q(university_id__in=scope.university_ids)
    return qs.filter(q)


def _national_records(scope: Scope, qs: QuerySet, field_name: str) -> QuerySet:
    """U2T's universities or networks a national role sees: every one working a tambon of the role's programmes,
    and those not yet working any (just set up); not another programme's (a CDD national reviewer sees none)."""
    if scope.everything:
        return qs
    tambons = Tambon.objects.filter(**{field_name: OuterRef("pk")})
    return qs.filter(Exists(tambons.filter(programme_id__in=scope.national_programme_ids)) | ~Exists(tambons))


def visible_universities(user: User | None) -> QuerySet[University]:
    qs = University.objects.all()
    scope = scope_of(user)
    if scope.national or scope.everything:
        return _national_records(scope, qs, "university")
    if scope.is_empty:
        return qs.none()
    return qs.filter(
        Q(id__in=scope.university_ids)
        | Q(network_id__in=scope.network_ids)
        | Q(tambons__network_id__in=scope.network_ids)
    ).distinct()


def visible_networks(user: User | None) -> QuerySet[Network]:
    """Networks whose pages the user may open: their own (RSI), all (NSI). University staff see none."""
    qs = Network.objects.all()
    scope = scope_of(user)
    if scope.national or scope.everything:
        return _national_records(scope, qs, "network")
    return qs.filter(id__in=scope.network_ids)


def sees_network(user: User | None, network_id: int) -> bool:
    """Whether `visible_networks(user)` holds the network: the scope decides an RSI's without a query; a national
    role's asks whether the network works a tambon of its programmes (visible_networks' rule), once per request
    and network (cached on the user object, like the scope: a dashboard asks for its page and its crumbs)."""
    scope = scope_of(user)
    if network_id in scope.network_ids:
        return True
    if not (scope.national or scope.everything):
        return False
    seen = user.__dict__.setdefault("_pbm_sees_network", {})
    if network_id not in seen:
        seen[network_id] = visible_networks(user).filter(pk=network_id).exists()
    return seen[network_id]


def units_on_path(user: User | None, unit: Unit, *, including: bool = True) -> list[Unit]:
    """The units from the root down to `unit` (or to its parent), for crumbs and facts; each has `openable`: whether
    the user may open its dashboard (visible_units_all's rule), so a page links only what will open. Two queries."""
    from .units import unit_path

    path = unit_path(unit, including=including)
    openable = set(
        visible_units_all(user, Unit.objects.filter(pk__in=[u.pk for u in path])).values_list("pk", flat=True)
    )
    for each in path:
        each.openable = each.pk in openable
    return path


def visible_memberships(user: User | None, queryset: QuerySet[Membership] | None = None) -> QuerySet[Membership]:
    """Memberships over a network, university or unit the user may see (the admin's lists); a national role: every
    role of its programmes (U2T's by record for U2T's NSI), not another programme's."""
    qs = Membership.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if scope.national and not scope.everything:
        mine = Q(unit__programme_id__in=scope.national_programme_ids)
        if scope.u2t_national:
            mine |= Q(unit__isnull=True)  # U2T's roles by record
        return qs.filter(mine)
    return _scoped(
        user, qs,
        lambda _scope: Q(network_id__in=visible_networks(user).values("id"))
        | Q(university_id__in=visible_universities(user).values("id"))
        | Q(unit_id__in=visible_units_all(user).values("id")),
    )  # fmt: skip


def visible_users(user: User | None, queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """People holding a role in the user's scope, and the user; for a national role also the accounts with no role
    yet (to give them one); everyone for a superuser."""
    qs = User.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if scope.everything:
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    in_scope = Q(pk=user.pk) | Q(pk__in=visible_memberships(user).values("user_id"))
    if scope.national:
        in_scope |= ~Exists(Membership.objects.filter(user=OuterRef("pk")))
    return qs.filter(in_scope).distinct()


def administered_users(user: User | None, queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """The accounts a national admin administers: every role they hold lies in a programme the admin administers
    (U2T's roles by record for U2T's NSI admin; a unit's role in its programme), and accounts with no role yet;
    never a superuser, nor anyone for a person who administers no programme. A Smart Team admin changes Smart
    Team's people, not U2T's NSI admin."""
    qs = User.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if scope.everything:
        return qs
    if not scope.national_admin:
        return qs.none()
    administered = Q(unit__programme_id__in=scope.admin_programme_ids)
    if scope.u2t_admin:
        administered |= Q(unit__isnull=True)
    outside = Membership.objects.filter(user=OuterRef("pk")).exclude(administered)
    return qs.filter(is_superuser=False).exclude(Exists(outside))


def can_manage_user(user: User | None, other: User) -> bool:
    """Change another account (password, roles): a national admin over the programmes of all its roles
    (`administered_users`), or staff whose scope holds every role the other person has (never a national role); a
    superuser only by a superuser."""
    scope = scope_of(user)
    if other.is_superuser and not (user is not None and user.is_superuser):
        return False
    if scope.national_admin:
        return administered_users(user, User.objects.filter(pk=other.pk)).exists()
    memberships = Membership.objects.filter(user=other)
    if scope.is_empty or not memberships.exists() or memberships.filter(role__in=NATIONAL_ROLES).exists():
        return False
    return not memberships.exclude(pk__in=visible_memberships(user).values("pk")).exists()


def _get_or_404(queryset: QuerySet, pk: int, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404(f"No such {what}") from None


def get_tambon_or_404(user: User | None, pk: int, queryset: QuerySet[Tambon] | None = None) -> Tambon:
    """The tambon if the user may see it (read with `with_place`, or from `queryset` when a page needs less)."""
    return _get_or_404(visible_tambons(user, Tambon.objects.with_place() if queryset is None else queryset), pk,
                       "tambon")  # fmt: skip


def get_university_or_404(user: User | None, pk: int) -> University:
    return _get_or_404(visible_universities(user).select_related("network"), pk, "university")


def get_network_or_404(user: User | None, pk: int) -> Network:
    return _get_or_404(visible_networks(user), pk, "network")


def get_filing_unit_or_404(user: User | None, pk: int) -> Unit:
    """A unit that files its programme's reports (`filing_level`), if the user may open it: a district officer
    opens their own district, its province's reviewers every district of the province."""
    unit = _get_or_404(visible_units_all(user).select_related("programme", "level"), pk, "unit")
    level = filing_level(unit.programme)
    if level is None or unit.level_id != level.pk:
        raise Http404("Not a unit that files reports")
    return unit


# --- what a user may do --------------------------------------------------------------------------------


def report_level(programme: Programme, who: str, report: str = "monthly_tambon") -> str | None:
    """The level that files (`who="filed_by"`) or reviews (`"reviewed_by"`) a report, as the definition's `reports`
    says; None when the programme has no definition (U2T's records decide)."""
    for row in programme.definition.get("reports") or []:
        if row["code"] == report:
            return row[who]
    return None


def filing_level(programme: Programme) -> UnitLevel | None:
    """The level whose units file a programme of the unit tree's reports over the tambons below them: the
    definition's `filed_by` of the monthly report (Smart Team: the district; CDD: the province office, its own
    reporting unit). Such a unit also owns the half-year and year-end reports (`MouReport`) of those tambons, which
    the report's `reviewed_by` level reviews. None for U2T, whose universities and networks own them. Read once
    per programme object."""
    from .units import u2t_shaped

    cached = getattr(programme, "_pbm_filing_level", None)  # (level,): None is an answer too
    if cached is None:
        code = None if u2t_shaped(programme) else report_level(programme, "filed_by")
        cached = programme._pbm_filing_level = (
            UnitLevel.objects.filter(programme=programme, code=code).first() if code else None,
        )
    return cached[0]


def _granted(scope: Scope, tambon: Tambon, may: str, *, level: str | None = None, above: bool = False) -> bool:
    return _granted_over(scope, tambon.unit if tambon.unit_id else None, may, level=level, above=above)


def _granted_over(scope: Scope, unit: Unit | None, may: str, *, level: str | None = None, above: bool = False) -> bool:
    """A role of the user's that may `may` over `unit` (at `level`; strictly above the unit with `above`)."""
    return any(
        may in g.may and g.covers(unit) and (level is None or g.level == level) and not (above and g.unit_id == unit.pk)
        for g in scope.grants
    )


def _admin_of(scope: Scope, tambon: Tambon) -> bool:
    return scope.everything or tambon.programme_id in scope.admin_programme_ids


def can_edit_tambon(user: User | None, tambon: Tambon) -> bool:
    """File plans, reports, rosters and assessments for the tambon: its university's staff (U2T), whoever holds a
    filing role at the level that files its monthly report over it, or the programme's national admin."""
    scope = scope_of(user)
    return (
        _admin_of(scope, tambon)
        or tambon.university_id in scope.university_ids
        or _granted(scope, tambon, "file", level=report_level(tambon.programme, "filed_by"))
    )


def can_file_for_unit(user: User | None, unit: Unit) -> bool:
    """File the reports a unit owns (its half-year and year-end reports): whoever holds a filing role at the
    programme's filing level over it, or the programme's national admin (as for its tambons)."""
    scope = scope_of(user)
    if scope.everything or unit.programme_id in scope.admin_programme_ids:
        return True
    level = filing_level(unit.programme)
    return level is not None and _granted_over(scope, unit, "file", level=level.code)


def administers_university(user: User | None, university_id: int | None) -> bool:
    """A national admin of a programme the university works in (`visible_universities`' rule for national roles):
    U2T's NSI admin, not the admin of another programme's tree (a Smart Team admin is no university's admin)."""
    return _administers(user, visible_universities, university_id)


def administers_network(user: User | None, network_id: int | None) -> bool:
    """`administers_university` for a network (`visible_networks`' rule for national roles)."""
    return _administers(user, visible_networks, network_id)


def _administers(user: User | None, visible, pk: int | None) -> bool:
    """Answered once per request, user and unit (pages and serializers ask it per row), like `scope_of`."""
    scope = scope_of(user)
    if scope.everything or not scope.national_admin or pk is None:
        return scope.everything
    answers = user.__dict__.setdefault("_pbm_administers", {})
    if (visible, pk) not in answers:
        answers[(visible, pk)] = visible(user).filter(pk=pk).exists()
    return answers[(visible, pk)]


def can_manage_university(user: User | None, university: University) -> bool:
    """Import rosters and sign for the university: its managers, or its programme's NSI admin."""
    return university.pk in scope_of(user).manager_university_ids or administers_university(user, university.pk)


def can_manage_roster(user: User | None, tambon: Tambon) -> bool:
    """Manage the tambon's hired team and export it whole: its university's managers (U2T), a role that may
    `manage_roster` over a unit above it, or the programme's national admin."""
    scope = scope_of(user)
    if tambon.university_id is not None and can_manage_university(user, tambon.university):
        return True
    return _admin_of(scope, tambon) or _granted(scope, tambon, "manage_roster")


def roster_tambons(user: User | None, queryset: QuerySet[Tambon] | None = None) -> QuerySet[Tambon]:
    """`can_manage_roster` as a filter, for the pages that list people of many tambons (certificates): the tambons
    of the user's universities as manager (U2T), those under a unit where their role may `manage_roster`, and
    every tambon of a programme they administer."""
    scope = scope_of(user)
    qs = Tambon.objects.all() if queryset is None else queryset
    if scope.everything:
        return qs
    return qs.filter(
        Q(university_id__in=scope.manager_university_ids)
        | Q(programme_id__in=scope.admin_programme_ids)
        | _subtrees(scope.grants_by_depth("manage_roster"))
    )


def unit_roster_tambons(user: User | None, unit: Unit) -> QuerySet[Tambon]:
    """The tambons under a unit of a programme's tree whose roster the user manages: what its roster doors
    (certificates, imports) hold; empty when the user manages no roster there (refused)."""
    return roster_tambons(user, Tambon.objects.filter(programme_id=unit.programme_id).under(unit))


def may_manage_import(user: User | None, roster_import) -> bool:
    """An import's pages and confirmation: whoever manages its owner, a university (can_manage_university) or
    a unit (some roster under it); one without owner (the command line's, written to the current programme), that
    programme's national admin (not another programme's)."""
    if roster_import.university_id is not None:
        return can_manage_university(user, roster_import.university)
    if roster_import.unit_id is not None:
        return unit_roster_tambons(user, roster_import.unit).exists()
    current = Programme.current()
    return current is not None and administers(user, current.pk)


def reviews_anything(user: User | None) -> bool:
    """Whether the user reviews reports at all (an RSI, a national role, a role that may `review` over a unit):
    decides the review list and its link."""
    scope = scope_of(user)
    return scope.everything or scope.national or bool(scope.network_ids) or any("review" in g.may for g in scope.grants)


def can_review_tambon(user: User | None, tambon: Tambon) -> bool:
    """Accept or return the tambon's reports: the RSI of its area, or the NSI (U2T); a reviewing role over a unit
    above it; the programme's national roles."""
    scope = scope_of(user)
    return (
        scope.everything
        or tambon.programme_id in scope.national_programme_ids
        or (tambon.network_id is not None and tambon.network_id in scope.network_ids)
        or _granted(scope, tambon, "review", above=True)
    )


def can_review_network(user: User | None, network: Network) -> bool:
    scope = scope_of(user)
    return scope.national or network.pk in scope.network_ids


# --- who may accept or return a report: the reviewer of its unit, never someone who files for it or worked on it


EDITING_ACTIONS = (ReviewAction.SUBMITTED, ReviewAction.CHANGED)


def reviews_unit(user: User | None, unit: Tambon | University | Network | Unit) -> bool:
    """Reviews the reports of `unit`: the RSI of the tambon's area or the university's network, or the NSI; a
    network's own reports are reviewed by the NSI only; a unit's of the tree by a reviewing role above it or the
    programme's national roles (as its tambons')."""
    scope = scope_of(user)
    if isinstance(unit, Tambon):
        return can_review_tambon(user, unit)
    if isinstance(unit, Unit):
        return (scope.everything or unit.programme_id in scope.national_programme_ids
                or _granted_over(scope, unit, "review", above=True))  # fmt: skip
    if isinstance(unit, University):
        return scope.national or unit.network_id in scope.network_ids
    return scope.national


def files_for_unit(user: User | None, unit: Tambon | University | Network | Unit) -> bool:
    """Holds a filing role for `unit`: reporter or manager of the (tambon's) university, RSI of the network, a
    filing role over the unit of the tree. The NSI admin's national right to file is no such role; an NSI admin
    who did work on a report is caught by review_conflict's history check."""
    scope = scope_of(user)
    if isinstance(unit, Tambon):
        return unit.university_id in scope.university_ids or _granted(scope, unit, "file")
    if isinstance(unit, Unit):
        return _granted_over(scope, unit, "file")
    if isinstance(unit, University):
        return unit.pk in scope.university_ids
    return unit.pk in scope.network_ids


def _edited_ids(user: User, model: type[Reviewable]) -> QuerySet:
    return ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), actor_id=user.pk, action__in=EDITING_ACTIONS
    ).values("object_id")


def review_conflict(user: User | None, obj: Reviewable) -> str | None:
    """Why `user` must leave `obj` to another reviewer (they submitted or changed it, or file for its unit),
    or None. The same rule as `reviewable`, for one object."""
    if user is None or not user.is_authenticated:
        return None
    if obj.submitted_by_id == user.pk:
        return _("You submitted this report, so someone else must review it.")
    unit = obj.review_scope()
    if files_for_unit(user, unit):
        owner = (unit.university or unit.unit.parent or unit) if isinstance(unit, Tambon) else unit
        return _("You file reports for %(unit)s, so someone else must review this one.") % {"unit": owner}
    if obj.pk is not None and _edited_ids(user, type(obj)).filter(object_id=obj.pk).exists():
        return _("You changed this report, so someone else must review it.")
    return None


def can_review(user: User | None, obj: Reviewable) -> bool:
    """Accept or return `obj` (whatever its status): a reviewer of its unit with no conflict of interest."""
    return reviews_unit(user, obj.review_scope()) and review_conflict(user, obj) is None


def reviewable(user: User | None, queryset: QuerySet[Reviewable]) -> QuerySet[Reviewable]:
    """The rows of `queryset` that `user` may accept or return (whatever their status): `can_review` as a filter,
    for every review list and count. The model names where its unit is (`Reviewable.review_units`)."""
    scope = scope_of(user)
    if scope.is_empty:
        return queryset.none()
    networks, universities = list(scope.network_ids), list(scope.university_ids)
    allowed: list[Q] = []
    conflict = Q(submitted_by_id=user.pk) | Q(pk__in=_edited_ids(user, queryset.model))
    reviewing, filing = scope.grants_by_depth("review"), scope.grants_by_depth("file")
    own_units = [g.unit_id for g in scope.grants if "review" in g.may]
    for kind, path in queryset.model.review_units.items():
        if kind == "tambon":  # by record (U2T), by programme (national roles), by unit (the tree)
            q = Q(**{f"{path}__isnull": False}) if scope.everything else Q(**{f"{path}__network_id__in": networks})
            q |= Q(**{f"{path}__programme_id__in": scope.national_programme_ids})
            q |= _subtrees(reviewing, f"{path}__") & ~Q(**{f"{path}__unit_id__in": own_units})
            allowed.append(q)
            conflict |= Q(**{f"{path}__university_id__in": universities}) | _subtrees(filing, f"{path}__")
            continue
        if kind == "network":
            allowed += [Q(**{f"{path}__isnull": False})] if scope.national else []
            conflict |= Q(**{f"{path}_id__in": networks})
            continue
        if kind == "unit":  # a unit of the tree: by programme (national roles), by the units above it
            q = (
                Q(**{f"{path}__isnull": False})
                if scope.everything
                else Q(**{f"{path}__programme_id__in": scope.national_programme_ids})
            )
            allowed.append(q | (_subtrees(reviewing, unit=path) & ~Q(**{f"{path}_id__in": own_units})))
            conflict |= _subtrees(filing, unit=path)
            continue
        allowed += [Q(**{f"{path}__isnull": False}) if scope.national else Q(**{f"{path}__network_id__in": networks})]
        conflict |= Q(**{f"{path}_id__in": universities})
    if not allowed:
        return queryset.none()
    either = allowed[0]
    for q in allowed[1:]:
        either |= q
    return queryset.filter(either).exclude(conflict)


def is_national(user: User | None) -> bool:
    return scope_of(user).national


def is_national_admin(user: User | None) -> bool:
    return scope_of(user).national_admin


def national_in(user: User | None, programme_id: int) -> bool:
    """A national role in this programme (not in another one): its nation-wide lists and exports."""
    scope = scope_of(user)
    return scope.everything or programme_id in scope.national_programme_ids


def administers(user: User | None, programme_id: int) -> bool:
    """The programme's national admin (full national IDs in its nation-wide exports)."""
    scope = scope_of(user)
    return scope.everything or programme_id in scope.admin_programme_ids


# --- who is responsible: recipients of reminders come from the same memberships --------------------------


def _members_by_scope(scope_field: str, scope_ids, roles) -> dict[int, list[User]]:
    by_scope: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.filter(**{f"{scope_field}_id__in": list(scope_ids)}, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        users = by_scope.setdefault(getattr(membership, f"{scope_field}_id"), [])
        if membership.user not in users:
            users.append(membership.user)
    return by_scope


def university_staff(university_ids) -> dict[int, list[User]]:
    """Active users holding a university role (reporter or manager), by university: one query for all."""
    return _members_by_scope("university", university_ids, UNIVERSITY_ROLES)


def network_reviewers(network_ids) -> dict[int, list[User]]:
    """Active RSI reviewers, by network: one query for all."""
    return _members_by_scope("network", network_ids, [Role.RSI_REVIEWER])


def national_reviewers() -> list[User]:
    """Active NSI reviewers (U2T's national role): who hears of a network's late report. One query."""
    members = Membership.objects.filter(role=Role.NSI_REVIEWER, unit__isnull=True, user__is_active=True)
    return list(User.objects.filter(pk__in=members.values("user_id")).order_by("pk"))


def people_for(tambons, may: str, *, level: str | None = None) -> dict[int, tuple[User, list[Tambon]]]:
    """{user id: (user, their tambons)} of the active people whose role over a unit above each tambon (or the
    tambon's own) may `may` ("file", "review"), at `level` when given: the recipients of a programme of the unit
    tree, in two queries whatever the number of tambons."""
    tambons = [t for t in tambons if t.unit_id]
    if not tambons:
        return {}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={t.unit_id for t in tambons})}
    return _people_over([(t, units[t.unit_id]) for t in tambons], may, level=level)


def people_for_units(units, may: str, *, level: str | None = None) -> dict[int, tuple[User, list[Unit]]]:
    """`people_for` for units of the tree themselves (the owners of half-year reports): {user id: (user, their
    units)}, one query whatever the number of units."""
    return _people_over([(u, u) for u in units], may, level=level)


def _people_over(items: list[tuple[object, Unit]], may: str, *, level: str | None) -> dict[int, tuple[User, list]]:
    if not items:
        return {}
    above = {pk for _item, unit in items for pk in unit.ancestor_ids()}
    rules = {p.pk: role_rules(p) for p in Programme.objects.filter(pk__in={u.programme_id for _i, u in items})}
    grants = [
        m for m in Membership.objects.filter(unit_id__in=above, user__is_active=True).select_related("user", "unit__level")
        if may in rules.get(m.unit.programme_id, {}).get(m.role, {}).get("may", ()) and (level is None or m.unit.level.code == level)
    ]  # fmt: skip
    out: dict[int, tuple[User, list]] = {}
    for item, unit in items:
        chain = unit.ancestor_ids()
        for m in grants:
            if m.unit.depth < len(chain) and chain[m.unit.depth] == m.unit_id:
                out.setdefault(m.user_id, (m.user, []))[1].append(item)
    return out


def handles_payments(user: User | None, university_id: int | None) -> bool:
    """Sees full national IDs (wages are paid by ID): the NSI admin and the university's managers.
    Everyone else (reporters, RSI and NSI reviewers) sees only the last 4 digits."""
    scope = scope_of(user)
    return (university_id is not None and university_id in scope.manager_university_ids) or administers_university(
        user, university_id)  # fmt: skip
