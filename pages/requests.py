"""Yêu cầu TGPL: the register of legal-aid requests with combinable filters, the Ministry-style breakdowns of the
filtered set, waiting times and overdue requests. Layout only: numbers come from queries/requests_*.sql."""

import pandas as pd
import streamlit as st

from planboard import codes, explore, fmt, labels, privacy
from planboard.ui import auth, components, data, exporting, filters, records

plan = data.plan()
f = filters.current(plan)
tr = f.tr
user = auth.current_user(data.connection())
with_center = exporting.center_column(f.lang)  # a roll-up's registers name each row's center

components.page_title(tr("requests.title", date=fmt.date(f.as_of)), plan, f.unit)

# --- filters (all applied in SQL, combined) ---------------------------------------------------------------------------

OVERDUE = "qua_han"


def _status_label(c: str) -> str:
    return tr("requests.overdue_word") if c == OVERDUE else labels.code("case_status", c, f.lang)


def _show_overdue() -> None:
    st.session_state["rq_status"] = [OVERDUE]


year_flow = data.query(
    "requests_flow_by_provider",
    period_start=plan.start,
    period_end=f.as_of,
    as_of=f.as_of,
    department=None,
    fields=[],
    forms=[],
    priorities=[],
    providers=[],
    eligible=None,
)
provider_options = sorted(set(year_flow["provider"]), key=lambda p: (p == "", p))
# Every filter is in the URL (?status=qua_han&field=dat_dai…): a link reproduces the register as seen.
URL_FIELDS = [
    filters.UrlField("rq_from", "from", "date", low=plan.start, high=f.as_of),
    filters.UrlField("rq_to", "to", "date", low=plan.start, high=f.as_of),
    filters.UrlField("rq_overdue", "overdue", "int", low=1, high=365),
    filters.UrlField("rq_status", "status", options=(*codes.CASE_STATUSES, OVERDUE)),
    filters.UrlField("rq_field", "field", options=tuple(codes.LEGAL_FIELDS)),
    filters.UrlField("rq_form", "form", options=(*codes.AID_FORMS, "")),
    filters.UrlField("rq_priority", "priority", options=(*codes.PRIORITIES, "")),
    filters.UrlField("rq_eligible", "eligible", "text", options=("all", "yes", "no")),
    filters.UrlField("rq_provider", "provider", options=tuple(provider_options)),
]
DEFAULTS = {"rq_from": plan.start, "rq_to": f.as_of, "rq_overdue": 30, "rq_eligible": "all"}
for key, value in DEFAULTS.items():
    st.session_state.setdefault(key, value)
filters.seed_fields_from_url(URL_FIELDS, "_rq_url_seen")
for key in ("rq_from", "rq_to"):  # a later sidebar date may end the year earlier
    st.session_state[key] = min(max(st.session_state[key], plan.start), f.as_of)

with st.container(border=True):
    st.markdown(f":material/filter_alt: **{tr('requests.filters')}**")
    c1, c2, c3, c4 = st.columns(4)
    start = c1.date_input(
        tr("requests.period_from"), min_value=plan.start, max_value=f.as_of, format="DD/MM/YYYY", key="rq_from"
    )
    end = c2.date_input(
        tr("requests.period_to"), min_value=plan.start, max_value=f.as_of, format="DD/MM/YYYY", key="rq_to"
    )
    units = [""] + [u.code for u in plan.units]
    if f.view is not None and f.view.is_rollup:  # units belong to one center's plan: a roll-up has no unit choice
        unit = ""
    else:
        unit = c3.selectbox(
            tr("requests.unit"),
            units,
            index=units.index(f.unit or ""),
            format_func=lambda c: plan.unit(c).short if c else tr("requests.all"),
            key=f"rq_unit_{f.unit}",
        )
    overdue_days = c4.number_input(
        tr("requests.overdue_days"),
        min_value=1,
        max_value=365,
        step=1,
        key="rq_overdue",
        help=tr("requests.overdue_help"),
    )
    c1, c2, c3, c4 = st.columns(4)
    # OVERDUE is not a recorded status: waiting (tiep_nhan / da_chuyen) longer than the overdue days at as_of.
    statuses = c1.multiselect(
        tr("requests.status"),
        [*codes.CASE_STATUSES, OVERDUE],
        key="rq_status",
        format_func=_status_label,
        placeholder=tr("requests.all"),
    )
    fields = c2.multiselect(
        tr("requests.field"),
        list(codes.LEGAL_FIELDS),
        key="rq_field",
        format_func=lambda c: labels.code("legal_field", c, f.lang),
        placeholder=tr("requests.all"),
    )
    forms = c3.multiselect(
        tr("requests.form"),
        [*codes.AID_FORMS, ""],
        key="rq_form",
        format_func=lambda c: explore.label(plan, "form", c, f.lang),
        placeholder=tr("requests.all"),
    )
    priorities = c4.multiselect(
        tr("requests.priority"),
        [*codes.PRIORITIES, ""],
        key="rq_priority",
        format_func=lambda c: explore.label(plan, "priority", c, f.lang),
        placeholder=tr("requests.all"),
    )
    c1, c2, _ = st.columns([1, 2, 1])
    eligible_choice = c1.selectbox(
        tr("requests.eligible"),
        ["all", "yes", "no"],
        key="rq_eligible",
        format_func=lambda c: tr("requests.eligible_all") if c == "all" else labels.yes_no(c == "yes", f.lang),
    )
    providers = c2.multiselect(
        tr("requests.provider"),
        provider_options,
        key="rq_provider",
        format_func=lambda c: explore.label(plan, "provider", c, f.lang),
        placeholder=tr("requests.all"),
    )

filters.write_fields_to_url(URL_FIELDS, "_rq_url_seen", DEFAULTS)
if start > end:
    st.warning(tr("requests.bad_period"), icon=":material/event_busy:")
    st.stop()

eligible = {"all": None, "yes": True, "no": False}[eligible_choice]
params = dict(
    period_start=start,
    period_end=end,
    as_of=f.as_of,
    department=unit or None,
    statuses=statuses,
    fields=fields,
    forms=forms,
    priorities=priorities,
    providers=providers,
    eligible=eligible,
    overdue_days=int(overdue_days),
)
summary = data.query("requests_summary", **params).iloc[0]
total = int(summary.request_count)
st.caption(tr("requests.period_caption", start=fmt.date(start), end=fmt.date(end), date=fmt.date(f.as_of)))

if total == 0:
    st.info(tr("requests.empty"), icon=":material/inbox:")
    st.stop()

# --- key numbers -----------------------------------------------------------------------------------------------------


def _n(x) -> str:
    return fmt.number(None if pd.isna(x) else x, lang=f.lang)


def _days(x) -> str:
    return "–" if pd.isna(x) else tr("requests.days", n=fmt.number(round(float(x), 1), lang=f.lang))


# Two rows of three: six in a row cut their labels ("Được đáp ứng mi…") on a 1366-px laptop.
k = [*st.columns(3), *st.columns(3)]
k[0].metric(tr("requests.k_requests"), _n(summary.request_count))
k[1].metric(tr("requests.k_persons"), _n(summary.person_count))
k[2].metric(tr("requests.k_eligible"), _n(summary.eligible_count))
k[3].metric(tr("requests.k_served"), _n(summary.served_count), help=tr("requests.k_served_help"))
k[4].metric(
    tr("requests.k_median_accept"),
    _days(summary.median_days_to_accept),
    help=tr("requests.k_accept_help", n=_n(summary.accepted_count), mean=_days(summary.mean_days_to_accept)),
)
k[5].metric(
    tr("requests.k_overdue"),
    _n(summary.overdue_count),
    help=tr(
        "requests.k_overdue_help",
        days=int(overdue_days),
        waiting=_n(summary.waiting_count),
        median=_days(summary.median_days_pending),
        longest=_days(summary.max_days_pending),
    ),
)
if summary.overdue_count:
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.warning(
        tr("requests.overdue_banner", n=_n(summary.overdue_count), days=int(overdue_days)),
        icon=":material/hourglass_bottom:",
    )
    if statuses != [OVERDUE]:  # one click from the count to the overdue requests alone
        c2.button(
            tr("requests.show_overdue", n=_n(summary.overdue_count)),
            on_click=_show_overdue,
            icon=":material/filter_alt:",
            key="rq_show_overdue",
            type="primary",
        )

# --- breakdowns (Ministry of Justice style) ---------------------------------------------------------------------------

st.subheader(tr("requests.breakdowns"))
st.caption(tr("requests.breakdowns_caption"))
breakdown = data.query("requests_breakdown", **params)
DIM_LABEL = {"gender": "gender", "eligible_group": "eligible_group", "aid_form": "form", "legal_field": "field"}


def _group_label(dimension: str, code: str) -> str:
    if dimension == "eligible_group":
        return labels.code("eligible_group", code, f.lang)
    return explore.label(plan, DIM_LABEL[dimension], code, f.lang)


cols = st.columns(2)
for i, dimension in enumerate(["gender", "eligible_group", "aid_form", "legal_field"]):
    part = breakdown[breakdown["dimension"] == dimension]
    frame = pd.DataFrame(
        {
            tr(f"requests.by_{dimension}"): [_group_label(dimension, c) for c in part["group_code"]],
            tr("requests.col_requests"): part["request_count"].astype(int).tolist(),
            tr("requests.col_persons"): part["person_count"].astype(int).tolist(),
            tr("requests.col_served_persons"): part["served_person_count"].astype(int).tolist(),
        }
    )
    with cols[i % 2]:
        components.table(frame, f.lang)

st.subheader(tr("requests.flow"))
st.caption(tr("requests.flow_caption", start=fmt.date(start), end=fmt.date(end)))
flow_params = {k: v for k, v in params.items() if k not in ("statuses", "overdue_days")}
flow = data.query("requests_flow_by_provider", **flow_params)
flow_frame = pd.DataFrame(
    {
        tr("requests.col_provider"): [explore.label(plan, "provider", p, f.lang) for p in flow["provider"]],
        tr("requests.col_carried"): flow["carried_over_count"].astype(int).tolist(),
        tr("requests.col_received"): flow["received_count"].astype(int).tolist(),
        tr("requests.col_accepted"): flow["accepted_count"].astype(int).tolist(),
        tr("requests.col_closed"): flow["closed_count"].astype(int).tolist(),
        tr("requests.col_open_end"): flow["open_at_end_count"].astype(int).tolist(),
    }
)
components.table(flow_frame, f.lang)
exporting.download_buttons(
    flow_frame, f"luong-yeu-cau-{end.isoformat()}", f.lang, key="rq_flow_export", title=tr("requests.flow")
)

# --- the register ------------------------------------------------------------------------------------------------------

st.subheader(tr("requests.register", n=_n(total)))
if exporting.records_hidden(f.lang):  # viewers: aggregates only, the register is the last section
    st.stop()
overdue_word = tr("requests.overdue_word")


def _dates(column: pd.Series) -> pd.Series:
    """Dates as a date column (empty stays empty, not 'None'); a masked column stays text."""
    return column if column.map(lambda v: isinstance(v, str)).any() else pd.to_datetime(column)


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The register as shown and exported: personal data (privacy.PERSONAL_COLUMNS: name, age, eligibility, priority,
    notes...) masked row by row (the request's unit decides for unit staff), codes as labels, translated headers."""
    masked = privacy.mask(rows, privacy.PERSONAL_COLUMNS, privacy.allowed_rows(user, rows["department"]))
    return pd.DataFrame(
        {
            **with_center(masked),
            tr("requests.col_flag"): [overdue_word if o else "" for o in masked["is_overdue"]],
            tr("requests.col_case"): masked["case_id"],
            tr("requests.col_requested"): _dates(masked["requested_on"]),
            tr("requests.col_resident"): masked["resident_id"],
            tr("requests.col_name"): masked["full_name"],
            tr("requests.col_gender"): [explore.label(plan, "gender", g, f.lang) for g in masked["gender"]],
            tr("requests.col_age"): privacy.shown(masked["age_at_request"], integer=True),
            tr("requests.col_eligible"): privacy.shown(masked["is_eligible"], lambda e: labels.yes_no(e, f.lang)),
            tr("requests.col_unit"): [explore.label(plan, "unit", u, f.lang) for u in masked["department"]],
            tr("requests.col_field"): [explore.label(plan, "field", x, f.lang) for x in masked["legal_field"]],
            tr("requests.col_form"): [explore.label(plan, "form", x, f.lang) for x in masked["aid_form"]],
            tr("requests.col_priority"): [
                x if x == privacy.MASK else explore.label(plan, "priority", x, f.lang) if x else ""
                for x in masked["priority"].fillna("")
            ],
            tr("requests.col_provider"): [explore.label(plan, "provider", x, f.lang) for x in masked["provider"]],
            tr("requests.col_status"): [explore.label(plan, "status", x, f.lang) for x in masked["status"]],
            tr("requests.col_accepted_on"): _dates(masked["accepted_on"]),
            tr("requests.col_closed_on"): _dates(masked["closed_on"]),
            tr("requests.col_days_accept"): masked["days_to_accept"].astype("Int64"),
            tr("requests.col_days_pending"): masked["days_pending"].astype("Int64"),
            tr("requests.col_notes"): masked["notes"],
        }
    )


records.show(
    records.Register.read("requests_register", total=total, **params),
    _frame,
    file_name=f"yeu-cau-tgpl-{end.isoformat()}",
    key="rq_export",
    lang=f.lang,
    title=tr("requests.title", date=fmt.date(f.as_of)),
    personal=privacy.PERSONAL_COLUMNS,
    notes=[tr("requests.register_caption", days=int(overdue_days))],
    flag=(tr("requests.col_flag"), overdue_word),
)
