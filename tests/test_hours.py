"""Who may use each AED, and when: access, opening hours, the week, arrest profiles,
coverage by hour and plans for the hours of the week."""

from __future__ import annotations

import datetime as dt
import itertools
import warnings

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aedplan import TimeModel, coverage_stats, plan_sites
from aedplan.coverage import hourly_coverage
from aedplan.errors import AedplanWarning, InputError
from aedplan.hours import (
    HOURS,
    arrest_profile,
    availability,
    hours_in_words,
    public_access,
    reference_week,
)
from aedplan.optimise import solve_mclp, weekly_instance

from .conftest import CRS, points

WEEK = reference_week("2024-03-04")  # no country: no public holiday


def hours_of(*values, **columns) -> np.ndarray:
    """The share of each hour of the week AEDs with these opening_hours are available
    (all public)."""
    frame = points([(0.0, 0.0)] * len(values), opening_hours=list(values), **columns)
    return availability(frame, week=WEEK).hourly


def open_at(week_row: np.ndarray, day: int, hour: int) -> float:
    """The share of that hour it is open."""
    return float(week_row[day * 24 + hour])


# --------------------------------------------------------------------------- parsing


def test_opening_hours_through_the_library():
    always, office, weekend, night = hours_of(
        "24/7", "Mo-Fr 08:00-12:00, 13:30-17:00", "Sa 10:00-14:00; Su off", "22:00-02:00"
    )
    assert (always == 1).all()
    # to the minute: closed at lunch, open from 13:30 (half of the hour from 13:00)
    assert [open_at(office, 0, h) for h in (7, 8, 11, 12, 13, 16, 17)] == [
        0, 1, 1, 0, 0.5, 1, 0]
    assert not office[5 * 24:].any()  # closed at the weekend
    assert office.sum() == 5 * 7.5
    assert weekend.sum() == 4 and all(open_at(weekend, 5, h) == 1 for h in (10, 11, 12, 13))
    # across midnight: 22:00 to 02:00 of the next day
    assert [open_at(night, 0, h) for h in (21, 22, 23)] == [0, 1, 1]
    assert [open_at(night, 1, h) for h in (0, 1, 2)] == [1, 1, 0]
    assert night.sum() == 7 * 4


def test_the_week_is_cut_to_the_minute():
    """Slots begin at every full hour and at every minute an AED changes state."""
    frame = points([(0.0, 0.0)] * 3, opening_hours=[
        "Mo 13:30-17:00", "Tu 08:15-08:20", "Mo-Su 00:00-23:59"])
    av = availability(frame, week=WEEK)
    minutes = {810, 1440 + 495, 1440 + 500}  # Mon 13:30, Tue 08:15 and 08:20
    assert set(av.edges.tolist()) == set(range(0, 10081, 60)) | minutes
    assert av.state.shape == (3, 168 + 3)
    assert av.hourly[1, 24 + 8] == pytest.approx(5 / 60)  # five minutes of Tuesday 08:00
    assert av.open_share.tolist() == pytest.approx([210 / 10080, 5 / 10080, 1.0])
    # a span to 23:59 runs to midnight: open round the clock, not closed a minute a day
    assert av.kind.tolist() == ["hours", "hours", "24/7"]
    assert av.open_at([809, 810, 1019, 1020])[0].tolist() == [False, True, True, False]
    assert hours_in_words(av.open[0], av.edges) == "Mon 13:30-17:00; Tue-Sun closed"
    # finer slots change nothing but the cut
    finer = av.recut(np.union1d(av.edges, [5, 7000]))
    np.testing.assert_array_equal(finer.hourly, av.hourly)
    with pytest.raises(InputError, match=r"`edges` must hold every edge"):
        av.recut(np.arange(0, 10081, 60))


def test_sun_times_need_the_place():
    frame = points([(0.0, 0.0)], opening_hours=["sunrise-sunset"])  # UTM 32N: 45°N, 4.5°E
    av = availability(frame, week=WEEK)
    (row,) = av.hourly
    assert open_at(row, 0, 12) and not open_at(row, 0, 2) and not open_at(row, 0, 22)
    assert 9 * 7 <= row.sum() <= 13 * 7  # early March: 11 to 12 hours of daylight
    assert av.edges.size - 1 > 168  # sunrise and sunset fall between full hours


def test_unreadable_and_missing_hours_are_unknown():
    frame = points([(0.0, 0.0)] * 3, opening_hours=["garbage", None, "24/7 unknown"])
    with pytest.warns(AedplanWarning, match=r"1 opening_hours value could not be read.*'garbage'"):
        av = availability(frame, week=WEEK)
    assert (av.state == -1).all()
    assert av.kind.tolist() == ["unknown"] * 3
    assert av.open.all()  # counted open by default
    assert not av.assuming("closed").open.any()
    with pytest.raises(InputError, match=r"`unknown_hours` must be 'open' \(.*\) or 'closed'"):
        av.assuming("maybe")


def test_public_holidays_apply_ph_rules():
    # Saint Joseph's Day, Tuesday 19 March 2024, is a public holiday in Liechtenstein
    week = reference_week("2024-03-18", country="LI")
    assert [d.isoformat() for d, _ in week.holidays] == ["2024-03-19"]
    frame = points([(0.0, 0.0)] * 2, opening_hours=["Mo-Fr 08:00-18:00; PH off",
                                                    "Mo-Fr 08:00-18:00"])
    closed_on_ph, plain = availability(frame, week=week).hourly
    assert open_at(closed_on_ph, 0, 10) and not open_at(closed_on_ph, 1, 10)
    assert open_at(plain, 1, 10)  # no PH rule: the weekday rule holds


def test_chinese_holidays_and_make_up_working_days():
    """China moves days off (调休): in the week of 9 September 2024 Saturday the 14th is
    worked (for Monday the 16th, a day off before Mid-Autumn on the 17th). A
    Monday-to-Friday AED is open that Saturday with Friday's hours; the next week it is
    closed on the day off and the festival when tagged ``PH off``.
    Dates: the ``holidays`` package (the State Council's 2024 notice)."""
    week = reference_week("2024-09-09", country="CN")
    assert week.holidays == ()
    assert week.workdays == ((dt.date(2024, 9, 14), dt.date(2024, 9, 13)),)
    assert week.summary()["make_up_workdays"] == [{"date": "2024-09-14",
                                                   "hours_of": "2024-09-13"}]
    frame = points([(0.0, 0.0)] * 2, opening_hours=["Mo-Fr 08:00-18:00; PH off",
                                                    "Mo-Fr 08:00-12:00; Sa 14:00-16:00"])
    office, shop = availability(frame, week=week).hourly
    days_open = [d for d in range(7) if open_at(office, d, 10)]
    assert days_open == [0, 1, 2, 3, 4, 5]  # Saturday worked
    assert open_at(shop, 5, 10) and not open_at(shop, 5, 15)  # Friday's hours, not Saturday's
    after = reference_week("2024-09-16", country="CN")
    assert [d.isoformat() for d, _ in after.holidays] == ["2024-09-16", "2024-09-17"]
    (office,) = availability(frame.iloc[:1], week=after).hourly
    assert [d for d in range(7) if open_at(office, d, 10)] == [2, 3, 4]
    # the default week for China is one without holidays or make-up days
    default = reference_week(country="CN")
    assert default.holidays == () and default.workdays == ()


def test_the_reference_week():
    assert reference_week().monday == dt.date(2024, 3, 4)
    assert reference_week().summary()["resolution"] == "minute"
    # the default week moves past a holiday of the country (China, National Day week)
    with pytest.raises(InputError, match=r"a Tuesday\); the Monday of that week is 2024-03-04"):
        reference_week("2024-03-05")
    with pytest.raises(InputError, match=r"`week` must be a date YYYY-MM-DD"):
        reference_week("next week")
    # the parser reads no date before 1900 (every hour would be closed): refused, as is
    # a week past the holiday tables
    for monday in ("1850-01-07", "9999-12-27"):
        with pytest.raises(InputError, match=r"`week` must be a Monday in the years 1900-2199"):
            reference_week(monday)


def test_the_country_is_an_iso_code():
    # lower case is accepted; Swiss National Day is found either way
    assert [n for _, n in reference_week("2024-07-29", country="ch").holidays] == [
        "National Day"]
    assert reference_week("2024-07-29", country="CH").country == "CH"
    with pytest.raises(InputError, match=r"`country` must be a two-letter ISO 3166 code.*'XX'"):
        reference_week(country="XX")
    with pytest.raises(InputError, match=r"got 'Switzerland' \(that is CH\)"):
        reference_week(country="Switzerland")


def test_availability_takes_the_week_as_a_date():
    frame = points([(0.0, 0.0)], opening_hours=["Mo-Fr 08:00-18:00; PH off"])
    (row,) = availability(frame, week="2024-03-18", country="LI").hourly
    assert open_at(row, 0, 10) and not open_at(row, 1, 10)  # Saint Joseph's Day


def test_hours_in_words():
    frame = points([(0.0, 0.0)] * 2, opening_hours=["Mo-Fr 08:00-12:00, 13:30-17:00",
                                                    "Sa 10:00-14:00; Su off"])
    av = availability(frame, week=WEEK)
    office, weekend = (hours_in_words(row, av.edges) for row in av.open)
    assert office == "Mon-Fri 08:00-12:00, 13:30-17:00; Sat, Sun closed"
    assert weekend == "Mon-Fri closed; Sat 10:00-14:00; Sun closed"


# --------------------------------------------------------------------------- access


def test_access_vocabulary():
    assert public_access(["yes", "public", "permissive", None, " YES "]).all()
    with pytest.warns(AedplanWarning, match=r"access='nur_für_berechtigte' is not a word"):
        public = public_access(["no", "private", "customers", "permit", "delivery",
                                "nur_für_berechtigte"])
    assert not public.any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # OSM's own word for "nobody found out": expected
        assert public_access(["unknown", "Unknown", "yes"]).tolist() == [False, False, True]
    # a registry's own yes/no column decides
    assert public_access(["no", "no"], public=["yes", "no"]).tolist() == [True, False]
    with pytest.raises(InputError, match=r"`public` column must say yes or no.*'maybe'"):
        public_access(public=["yes", "maybe"])


def test_restricted_aeds_are_never_available():
    frame = points([(0.0, 0.0)] * 2, opening_hours=["24/7", "24/7"], access=["yes", "private"])
    av = availability(frame, week=WEEK)
    assert av.open[0].all() and not av.open[1].any()
    assert av.kind.tolist() == ["24/7", "restricted"]
    assert av.counts() == {"public_24_7": 1, "public_hours": 0, "public_unknown": 0,
                           "restricted": 1}


# --------------------------------------------------------------------------- profiles


def test_arrest_profiles(tmp_path):
    default = arrest_profile()
    assert default.sum() == pytest.approx(1.0) and default.shape == (HOURS,)
    assert default[8] / default[2] == pytest.approx(2.02)  # 08:00 against 02:00 (Brooks 2010)
    assert default[20] / default[2] == pytest.approx(1.73)
    numbers = tmp_path / "profile.csv"
    numbers.write_text("weight\n" + "\n".join(["2"] * 84 + ["1"] * 84) + "\n")
    p = arrest_profile(numbers)
    assert p[0] == pytest.approx(2 / 252) and p[-1] == pytest.approx(1 / 252)
    arrests = tmp_path / "arrests.csv"
    arrests.write_text("time\n2024-03-04 08:10\n2024-03-04 08:50\n2024-03-10 23:59\n")
    p = arrest_profile(arrests)
    assert p[8] == pytest.approx(2 / 3) and p[167] == pytest.approx(1 / 3)
    with pytest.raises(InputError, match=r"`arrest_profile` must be"):
        arrest_profile(np.ones(24))
    assert (arrest_profile(" UNIFORM ") == arrest_profile("uniform")).all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n".join(["1"] * 167), r"; got 167 numbers\.$"),  # no header line: all are values
        ("w\n" + "\n".join(["1"] * 167 + ["-1"]), r"1 value is not usable \(hour 167 is -1"),
        ("w\n" + "\n".join(["0"] * 168), r"all 168 are 0"),
        ("a,b\nx,y\n", r"the first column of bad\.csv holds 1 value that is not a number"),
    ],
)
def test_arrest_profile_files_say_what_is_wrong(tmp_path, text, message):
    (tmp_path / "bad.csv").write_text(text + "\n")
    with pytest.raises(InputError, match=message):
        arrest_profile(tmp_path / "bad.csv")


def test_an_unknown_profile_word_is_not_taken_for_a_file():
    with pytest.raises(InputError, match=r"'default', 'uniform' or a CSV file; 'nightly' is"):
        arrest_profile("nightly")


# --------------------------------------------------------------------------- coverage by hour


def test_hourly_coverage_by_hand(line5):
    """An AED at x=0 open round the clock and one at x=400 open Mo-Fr 08:00-18:00;
    demand of weight 1 at x=50 and of weight 3 at x=350. One way at 1 m/s, 100 s."""
    aeds = points([(0.0, 0.0), (400.0, 0.0)], opening_hours=["24/7", "Mo-Fr 08:00-18:00"])
    demand = points([(50.0, 0.0), (350.0, 0.0)], weight=[1.0, 3.0])
    model = TimeModel(100 / 60, "one-way", 1.0)
    h = hourly_coverage(line5, demand, aeds, availability(aeds, week=WEEK),
                        profile="uniform", model=model)
    office = np.zeros(HOURS, dtype=bool)
    for day in range(5):
        office[day * 24 + 8: day * 24 + 18] = True
    np.testing.assert_array_equal(h.hourly, np.where(office, 1.0, 0.25))
    assert h.round_the_clock == pytest.approx(0.25 + 0.75 * 50 / 168)
    assert h.night_22_06 == pytest.approx(0.25)
    assert h.weekday_09_17 == pytest.approx(1.0)
    assert h.worst_hour == 0 and h.summary()["worst"] == 0.25
    np.testing.assert_allclose(h.point_share, [1.0, 50 / 168])
    assert h.covered.shape[1] == 2  # two sets of open AEDs over the week, two searches


def test_hours_count_from_the_minute_they_begin(line5):
    """The AED at x=400 opens Mo-Fr 13:30-17:00 (3.5 h a day, 17.5 h a week); the
    point at 350 m is reached by it alone. Read at half past each hour it would count
    13:00-17:00 (20 h); counted exactly it is 17.5 of 168 hours, and the hour from 13:00
    is half covered."""
    aeds = points([(0.0, 0.0), (400.0, 0.0)], opening_hours=["24/7", "Mo-Fr 13:30-17:00"])
    demand = points([(50.0, 0.0), (350.0, 0.0)], weight=[1.0, 1.0])
    model = TimeModel(100 / 60, "one-way", 1.0)
    av = availability(aeds, week=WEEK)
    h = hourly_coverage(line5, demand, aeds, av, profile="uniform", model=model)
    np.testing.assert_allclose(h.point_share, [1.0, 17.5 / 168])
    assert h.round_the_clock == pytest.approx(0.5 + 0.5 * 17.5 / 168)
    assert h.hourly[13] == pytest.approx(0.75) and h.hourly[14] == 1.0 and h.hourly[12] == 0.5
    assert h.slot_profile.sum() == pytest.approx(1.0)
    assert h.intervals == 10  # open and closed, five days
    # the default profile: the half hour from 13:30 weighs half of hour 13's weight
    p = arrest_profile()
    d = hourly_coverage(line5, demand, aeds, av, model=model)
    open_weight = sum(p[day * 24 + 13] / 2 + p[day * 24 + 14: day * 24 + 17].sum()
                      for day in range(5))
    assert d.round_the_clock == pytest.approx(0.5 + 0.5 * open_weight)


def test_exact_week_equals_minute_by_minute_on_real_hours():
    """The embedded Vaduz+Schaan extract's real opening hours: coverage over the slots
    equals coverage worked out at each of the 10,080 minutes of the week with the AEDs
    open then, hour by hour and round the clock."""
    import warnings

    import aedplan
    from aedplan.datasets import default_osm_path

    osm = default_osm_path()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = aedplan.load_network(osm)
        aeds = aedplan.read_points(osm)
        av = availability(aeds)  # the real data's odd access words, tested elsewhere
    demand = aedplan.demand_from_network(net, spacing_m=150)
    assert av.edges.size - 1 > 168  # real hours begin at 07:30, 13:30, ...
    h = hourly_coverage(net, demand, aeds, av)
    A = aedplan.coverage_matrix(net, demand, aeds).astype(np.float64)
    w = np.asarray(h.weights)
    by_minute = np.empty(10080)
    for day in range(7):  # the reference: every minute, each with the AEDs open then
        minutes = np.arange(day * 1440, (day + 1) * 1440)
        reached = (A @ av.open_at(minutes).astype(np.float64)) > 0
        by_minute[minutes] = w @ reached / w.sum()
    np.testing.assert_allclose(h.hourly, by_minute.reshape(168, 60).mean(axis=1), atol=1e-12)
    per_minute = np.repeat(h.profile / 60, 60)
    assert h.round_the_clock == pytest.approx(float(per_minute @ by_minute), abs=1e-12)


def test_every_aed_public_and_open_equals_todays_coverage(grid3):
    aeds = points([(0.0, 0.0), (200.0, 200.0), (100.0, 40.0)])
    demand = points([(x, y) for x in range(0, 201, 40) for y in (0.0, 60.0, 200.0)],
                    weight=np.arange(18, dtype=float) + 1)
    today = coverage_stats(grid3, demand, aeds)
    h = hourly_coverage(grid3, demand, aeds, np.ones((3, HOURS), dtype=bool))
    assert (h.hourly == today.coverage).all()
    assert h.round_the_clock == today.coverage  # exactly: a mean stays within its hours
    assert h.night_22_06 == h.weekday_09_17 == today.coverage
    np.testing.assert_array_equal(h.point_share > 0.5, today.covered)


# --------------------------------------------------------------------------- planning


def small_week_instances():
    @st.composite
    def build(draw):
        n = draw(st.integers(1, 6))
        m = draw(st.integers(1, 5))
        A = np.array(draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m),
                                   min_size=n, max_size=n)))
        w = np.array(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), dtype=float)
        k = draw(st.integers(1, 3))
        covered = np.array(draw(st.lists(st.lists(st.booleans(), min_size=k, max_size=k),
                                         min_size=n, max_size=n)))
        hour_set = np.array(draw(st.lists(st.integers(0, k - 1), min_size=HOURS,
                                          max_size=HOURS)))
        site_open = np.array(draw(st.lists(st.lists(st.booleans(), min_size=HOURS,
                                                    max_size=HOURS), min_size=m, max_size=m)))
        p = np.array(draw(st.lists(st.integers(0, 5), min_size=HOURS, max_size=HOURS)),
                     dtype=float) + 0.01
        return A, w, covered, hour_set, site_open, p / p.sum(), draw(st.integers(0, m))

    return build()


def week_value(A, w, covered, hour_set, site_open, p, sites) -> float:
    """Brute force: demand weight covered in each hour, weighted by the profile."""
    value = 0.0
    for h in range(HOURS):  # the reference, hour by hour
        new = (A[:, sites] & site_open[sites, h]).any(axis=1) if len(sites) else False
        value += p[h] * w[covered[:, hour_set[h]] | new].sum()
    return value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_week_instances())
def test_weekly_plan_equals_brute_force(instance):
    A, w, covered, hour_set, site_open, p, budget = instance
    for opening in (None, site_open):
        B, weights, done = weekly_instance(A, w, covered_by_set=covered, slot_set=hour_set,
                                           profile=p, site_open=opening)
        plan = solve_mclp(B, weights, budget, covered=done)
        hours = np.ones_like(site_open) if opening is None else site_open
        best = max(week_value(A, w, covered, hour_set, hours, p, list(c))
                   for c in itertools.combinations(range(A.shape[1]), budget))
        assert plan.covered_weight == pytest.approx(best, rel=1e-9, abs=1e-9)
        assert plan.covered_weight == pytest.approx(
            week_value(A, w, covered, hour_set, hours, p, list(plan.sites)), abs=1e-9)
        assert plan.status == "optimal"


def test_planning_for_the_hours_never_loses_to_planning_as_if_always_open(line5):
    """An AED of office hours at x=0 (the heavy point at 20 m is covered 50 of 168 hours)
    and one open round the clock at 400 m (it covers the point at 380 m). A new site at
    200 m covers the point there (weight 2) all week; one at 20 m covers the heavy point
    (weight 5) in the 118 hours the office is closed: 3.5 round the clock. As if always
    open, the first wins; round the clock, the second."""
    aeds = points([(0.0, 0.0), (400.0, 0.0)], opening_hours=["Mo-Fr 08:00-18:00", "24/7"])
    demand = points([(20.0, 0.0), (200.0, 0.0), (380.0, 0.0)], weight=[5.0, 2.0, 5.0])
    sites = points([(200.0, 0.0), (20.0, 0.0)])
    model = TimeModel(100 / 60, "one-way", 1.0)
    av = availability(aeds, week=WEEK)
    by_hours = plan_sites(line5, demand, sites, aeds=aeds, budget=1, model=model, hours=av,
                          profile="uniform")
    always = plan_sites(line5, demand, sites, aeds=aeds, budget=1, model=model, hours=av,
                        profile="uniform", objective="always")
    assert by_hours.objective == "hours" and always.objective == "always"
    assert always.proposed["candidate"].tolist() == [0]
    assert by_hours.proposed["candidate"].tolist() == [1]
    before = (5 * 50 / 168 + 5) / 12
    assert by_hours.hours_before.round_the_clock == pytest.approx(before)
    assert always.hours_after.round_the_clock == pytest.approx(before + 2 / 12)
    assert by_hours.hours_after.round_the_clock == pytest.approx(before + 5 * 118 / 168 / 12)
    assert by_hours.plan.coverage == pytest.approx(by_hours.hours_after.round_the_clock)
    host = plan_sites(line5, demand, sites.assign(opening_hours="Sa-Su 10:00-12:00"),
                      aeds=aeds, budget=1, model=model, hours=av, profile="uniform",
                      new_site_hours="host")
    assert host.new_sites.open.sum() == 2 * 2  # open two hours on two days
    assert host.hours_after.round_the_clock < by_hours.hours_after.round_the_clock
    assert host.proposed["hours_kind"].tolist() == ["hours"]
    assert host.proposed["host_opening_hours"].tolist() == ["Sa-Su 10:00-12:00"]
    assert "opening_hours" not in host.proposed  # the host's hours are named as the host's
    assert by_hours.proposed["hours_kind"].tolist() == ["24/7"]
    assert by_hours.proposed["open_share"].tolist() == [1.0]
    assert repr(by_hours).startswith("SitePlan(1 new AEDs: coverage round the clock ")


def test_a_host_without_known_hours_counts_closed(line5):
    """With the hosts' hours, a site whose hours nobody mapped is not counted open all
    week (it would beat every site whose hours are known); a weekday-morning site is
    worth more."""
    aeds = points([(400.0, 0.0)], opening_hours=["24/7"])
    demand = points([(20.0, 0.0), (200.0, 0.0)], weight=[1.0, 1.0])
    sites = points([(20.0, 0.0), (200.0, 0.0)],
                   opening_hours=[None, "Mo-Fr 08:00-12:00"])
    av = availability(aeds, week=WEEK)  # unknown hours of existing AEDs count open
    plan = plan_sites(line5, demand, sites, aeds=aeds, budget=1, hours=av, profile="uniform",
                      model=TimeModel(100 / 60, "one-way", 1.0), new_site_hours="host")
    assert plan.proposed["candidate"].tolist() == [1]
    assert plan.hours_after.round_the_clock == pytest.approx(0.5 * 20 / 168)


def test_hosts_hours_count_to_the_minute_in_a_plan(line5):
    """Two hosts: one at 20 m open Mo-Fr 13:30-17:00 (17.5 h a week), one at 200 m open
    Mo-Fr 08:00-10:00 (10 h). Each reaches only the point beside it; the first is
    worth 17.5 of 168 hours of half the demand."""
    aeds = points([(400.0, 0.0)], opening_hours=["24/7"])
    demand = points([(20.0, 0.0), (200.0, 0.0)], weight=[1.0, 1.0])
    sites = points([(20.0, 0.0), (200.0, 0.0)],
                   opening_hours=["Mo-Fr 13:30-17:00", "Mo-Fr 08:00-10:00"])
    plan = plan_sites(line5, demand, sites, aeds=aeds, budget=1,
                      hours=availability(aeds, week=WEEK), profile="uniform",
                      model=TimeModel(100 / 60, "one-way", 1.0), new_site_hours="host")
    assert plan.proposed["candidate"].tolist() == [0]
    assert plan.hours_after.round_the_clock == pytest.approx(0.5 * 17.5 / 168)
    assert plan.plan.coverage == pytest.approx(plan.hours_after.round_the_clock)
    assert plan.proposed["open_share"].tolist() == pytest.approx([17.5 / 168])


def test_plan_hours_arguments(line5):
    aeds = points([(0.0, 0.0)])
    demand = points([(50.0, 0.0)])
    sites = points([(100.0, 0.0)])
    av = availability(aeds, week=WEEK)
    with pytest.raises(InputError, match=r"`objective` must be 'hours'"):
        plan_sites(line5, demand, sites, aeds=aeds, budget=1, hours=av, objective="night")
    with pytest.raises(InputError, match=r"`new_site_hours` must be '24/7'"):
        plan_sites(line5, demand, sites, aeds=aeds, budget=1, hours=av, new_site_hours="x")
    with pytest.raises(InputError, match=r"`hours` must be the Availability of the 1 AEDs"):
        plan_sites(line5, demand, sites, aeds=aeds, budget=1, hours=np.ones((1, HOURS)))
    assert isinstance(demand, gpd.GeoDataFrame) and demand.crs == CRS


def test_a_registrys_public_column_in_chinese_with_blanks():
    """Made-up registry cells: 是/否, 對外開放, and blanks, which are not recorded and count
    as public (as a missing access tag does), with a warning that counts them."""
    with pytest.warns(AedplanWarning, match=r"blank for 2 of 5 AEDs"):
        public = public_access(public=["是", "否", None, "對外開放", ""])
    assert public.tolist() == [True, False, True, True, True]
