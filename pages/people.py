"""Người cao tuổi & nhân sự: residents with their age, eligibility and requests at the chosen date; staff with their
legal-aid role, active dates and this year's training. Layout only: numbers come from queries/people_*.sql."""

import pandas as pd
import streamlit as st

from planboard import codes, explore, fmt, labels, privacy
from planboard.ui import auth, components, data, exporting, filters, records

plan = data.plan()
f = filters.current(plan)
tr = f.tr
user = auth.current_user(data.connection())
with_center = exporting.center_column(f.lang)  # a roll-up's registers name each row's center


def _yes(value) -> str:
    return labels.yes_no(value, f.lang)


def _dates(column: pd.Series) -> pd.Series:
    """Dates as a date column (empty stays empty, not 'None'); with masked cells, text dd/mm/yyyy beside '***'."""
    if column.map(lambda v: isinstance(v, str)).any():
        return column.map(lambda v: v if isinstance(v, str) else "" if v is None or pd.isna(v) else fmt.date(v))
    return pd.to_datetime(column)


def _n(x) -> str:
    return fmt.number(int(x), lang=f.lang)


components.page_title(tr("people.title", date=fmt.date(f.as_of)), plan, f.unit)

# --- residents ------------------------------------------------------------------------------------------------------

st.header(tr("people.residents"), divider="gray")
include_left = st.toggle(tr("people.include_left"), key="pp_left")
res_params = dict(period_end=f.as_of, period_start=plan.start, department=f.unit, include_left=include_left)
res_summary = data.query("residents_summary", **res_params).iloc[0]
res_total = int(res_summary.row_count)
if res_total == 0:
    st.info(tr("people.residents_empty"), icon=":material/inbox:")
else:
    k = st.columns(4)
    k[0].metric(tr("people.k_residents"), _n(res_summary.in_care_count))
    k[1].metric(tr("people.k_elderly"), _n(res_summary.elderly_in_care_count))
    k[2].metric(tr("people.k_eligible"), _n(res_summary.eligible_in_care_count))
    k[3].metric(tr("people.k_with_requests"), _n(res_summary.with_requests_count))
    if not exporting.records_hidden(f.lang):  # viewers: aggregates only

        def _groups(row) -> str:
            if any(privacy.is_masked(row[col]) for col in codes.ELIGIBLE_GROUPS):
                return privacy.MASK
            names = [labels.code("eligible_group", col, f.lang) for col in codes.ELIGIBLE_GROUPS if row[col]]
            return "; ".join(names)

        def _residents_frame(rows: pd.DataFrame) -> pd.DataFrame:
            """Shown and exported: personal data (privacy.PERSONAL_COLUMNS) row by row, the resident's managing unit
            deciding for unit staff."""
            masked = privacy.mask(rows, privacy.PERSONAL_COLUMNS, privacy.allowed_rows(user, rows["department"]))
            return pd.DataFrame(
                {
                    **with_center(masked),
                    tr("people.col_id"): masked["resident_id"],
                    tr("people.col_name"): masked["full_name"],
                    tr("people.col_gender"): [explore.label(plan, "gender", g, f.lang) for g in masked["gender"]],
                    tr("people.col_birth"): _dates(masked["birth_date"]),
                    tr("people.col_age"): privacy.shown(masked["age"], integer=True),
                    tr("people.col_eligible"): privacy.shown(masked["is_eligible"], _yes),
                    tr("people.col_groups"): [_groups(r) for _, r in masked.iterrows()],
                    tr("people.col_victim"): [
                        v if isinstance(v, str) else _yes(v) for v in masked["is_violence_victim"]
                    ],
                    tr("people.col_unit"): [explore.label(plan, "unit", u, f.lang) for u in masked["department"]],
                    tr("people.col_admitted"): _dates(masked["admitted_on"]),
                    tr("people.col_left"): _dates(masked["left_on"]),
                    tr("people.col_requests"): masked["request_count"].astype(int),
                }
            )

        # A birth-date column with masked cells is text (dd/mm/yyyy beside ***); a date column is shown dd/mm/yyyy.
        records.show(
            records.Register.read("residents_register", total=res_total, **res_params),
            _residents_frame,
            file_name=f"nguoi-cao-tuoi-{f.as_of.isoformat()}",
            key="pp_res_export",
            lang=f.lang,
            title=tr("people.residents"),
            personal=privacy.PERSONAL_COLUMNS,
        )

# --- staff and training -------------------------------------------------------------------------------------------------

st.header(tr("people.staff", year=plan.year), divider="gray")
staff_params = dict(
    period_end=f.as_of, period_start=plan.start, department=f.unit, training_types=list(plan.training_types)
)
staff_summary = data.query("staff_summary", **staff_params).iloc[0]
if int(staff_summary.row_count) == 0:
    st.info(tr("people.staff_empty"), icon=":material/inbox:")
else:
    workers = int(staff_summary.worker_count)
    trained = int(staff_summary.trained_count)
    k = st.columns(4)
    k[0].metric(tr("people.k_workers"), _n(workers))
    k[1].metric(tr("people.k_trained"), _n(trained))
    k[2].metric(tr("people.k_not_completed"), _n(staff_summary.not_completed_count))
    k[3].metric(tr("people.k_not_trained"), _n(staff_summary.not_trained_count))
    rate = fmt.rate(trained, workers, f.lang)
    if fmt.is_small(workers):
        rate += f" · {tr('fmt.small_sample')}"
    st.markdown(tr("people.trained_rate", rate=f"**{rate}**"))
    if not exporting.records_hidden(f.lang):  # viewers: aggregates only
        only = st.toggle(tr("people.only_workers"), value=True, key="pp_workers")
        shown_params = {**staff_params, "only_workers": only}
        staff_total = int(staff_summary.legal_aid_row_count if only else staff_summary.row_count)

        def _staff_frame(rows: pd.DataFrame) -> pd.DataFrame:
            masked = privacy.mask(rows, ("full_name",), privacy.allowed_rows(user, rows["department"]))
            return pd.DataFrame(
                {
                    **with_center(masked),
                    tr("people.col_staff_id"): masked["staff_id"],
                    tr("people.col_name"): masked["full_name"],
                    tr("people.col_unit"): [explore.label(plan, "unit", u, f.lang) for u in masked["department"]],
                    tr("people.col_role"): [_yes(v) for v in masked["is_legal_aid_worker"]],
                    tr("people.col_from"): _dates(masked["active_from"]),
                    tr("people.col_to"): _dates(masked["active_to"]),
                    tr("people.col_active"): [_yes(v) for v in masked["is_active"]],
                    tr("people.col_courses"): masked["course_count"].astype(int),
                    tr("people.col_training"): [tr(f"people.training_{s}") for s in masked["training_status"]],
                }
            )

        records.show(  # an open-ended active_to stays an empty cell
            records.Register.read("staff_register", total=staff_total, **shown_params),
            _staff_frame,
            file_name=f"nhan-su-tap-huan-{f.as_of.isoformat()}",
            key="pp_staff_export",
            lang=f.lang,
            title=tr("people.staff", year=plan.year),
            personal=("full_name",),
        )
