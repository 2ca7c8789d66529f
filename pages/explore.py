"""Khám phá: ad-hoc questions — a dataset grouped by one or two dimensions with a measure, as a table and a chart.
The choice lives in the URL (ds, by, by2, measure, from, to, flt_<dimension>) so a link reproduces the answer.
Layout only: the SQL is assembled from whitelists in planboard.explore."""

import datetime as dt

import pandas as pd
import streamlit as st

from planboard import explore, fmt
from planboard.ui import charts, components, data, exporting, filters

plan = data.plan()
f = filters.current(plan)
tr = f.tr
DATASETS = list(explore.DATASETS)
NONE = ""
VIEW = data.view()
CENTERS = tuple(VIEW.centers)  # every question is asked of the view's centers only (the reader's scope)
CENTER_NAMES = {c.code: c.name for c in data.centers()}


def _dims(ds: str) -> list[str]:
    """The dataset's dimensions on this view: by center only on a roll-up."""
    return [d for d in explore.DATASETS[ds].dimensions if d != "center" or VIEW.is_rollup]


# --- the choice in the URL ---------------------------------------------------------------------------------------------


def _url_state() -> tuple:
    qp = st.query_params
    return tuple(
        sorted((k, qp.get(k)) for k in qp if k in ("ds", "by", "by2", "measure", "from", "to") or k.startswith("flt_"))
    )


def _parse_date(text: str | None, default: dt.date) -> dt.date:
    try:
        return min(max(dt.date.fromisoformat(text), plan.start), f.as_of) if text else default
    except ValueError:
        return default


def _seed_from_url() -> None:
    """On arrival, or when the URL changed (a shared link), take the choice from the query string."""
    state = _url_state()
    if st.session_state.get("_ex_url_seen") == state and "ex_ds" in st.session_state:
        return
    qp = st.query_params
    ds = qp.get("ds") if qp.get("ds") in DATASETS else "requests"
    dims = _dims(ds)
    measures = explore.DATASETS[ds].measures
    st.session_state["ex_ds"] = ds
    st.session_state["ex_by"] = qp.get("by") if qp.get("by") in dims else next(iter(dims))
    st.session_state["ex_by2"] = qp.get("by2") if qp.get("by2") in dims else NONE
    st.session_state["ex_measure"] = qp.get("measure") if qp.get("measure") in measures else "count"
    st.session_state["ex_from"] = _parse_date(qp.get("from"), plan.start)
    st.session_state["ex_to"] = _parse_date(qp.get("to"), f.as_of)
    for dim in dims:
        raw = qp.get(f"flt_{dim}")
        st.session_state[f"ex_flt_{ds}_{dim}"] = [v for v in raw.split(",")] if raw is not None else []


def _on_dataset_change() -> None:
    ds = st.session_state["ex_ds"]
    dims = _dims(ds)
    st.session_state["ex_by"] = next(iter(dims))
    st.session_state["ex_by2"] = NONE
    st.session_state["ex_measure"] = "count"


def _write_url(
    ds: str, by: str, by2: str, measure: str, start: dt.date, end: dt.date, flt: dict[str, list[str]]
) -> None:
    wanted = {
        "ds": ds,
        "by": by,
        "by2": by2 or None,
        "measure": measure,
        "from": start.isoformat() if explore.DATASETS[ds].dated and start != plan.start else None,
        "to": end.isoformat() if explore.DATASETS[ds].dated and end != f.as_of else None,
    }
    for dim in {k[4:] for k in st.query_params if k.startswith("flt_")} | set(flt):
        wanted[f"flt_{dim}"] = ",".join(flt[dim]) if flt.get(dim) else None
    filters.set_url(wanted)
    st.session_state["_ex_url_seen"] = _url_state()


_seed_from_url()
components.page_title(tr("explore.title", date=fmt.date(f.as_of)), plan, f.unit)
st.caption(tr("explore.intro"))


def _value_label(dim: str, value) -> str:
    """A dimension value as the reader names it (event types in English too under lang=en)."""
    if dim == "center" and isinstance(value, str):
        return CENTER_NAMES.get(value, value)
    return explore.label(plan, dim, value, f.lang)


def _dim_label(dim: str) -> str:
    return tr(f"explore.dim_{dim}") if dim else tr("explore.none")


with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    ds_code = c1.selectbox(
        tr("explore.dataset"),
        DATASETS,
        key="ex_ds",
        on_change=_on_dataset_change,
        format_func=lambda c: tr(f"explore.ds_{c}"),
    )
    ds = explore.DATASETS[ds_code]
    dims = _dims(ds_code)
    by = c2.selectbox(tr("explore.by"), dims, key="ex_by", format_func=_dim_label)
    if st.session_state.get("ex_by2") not in [NONE, *dims] or st.session_state.get("ex_by2") == by:
        st.session_state["ex_by2"] = NONE
    by2 = c3.selectbox(tr("explore.by2"), [NONE, *[d for d in dims if d != by]], key="ex_by2", format_func=_dim_label)
    measure = c4.selectbox(
        tr("explore.measure"), list(ds.measures), key="ex_measure", format_func=lambda c: tr(f"explore.m_{c}")
    )
    start, end = plan.start, f.as_of
    if ds.dated:
        c1, c2, _ = st.columns([1, 1, 2])
        if st.session_state["ex_to"] > f.as_of:
            st.session_state["ex_to"] = f.as_of
        start = c1.date_input(
            tr("explore.period_from"), key="ex_from", min_value=plan.start, max_value=f.as_of, format="DD/MM/YYYY"
        )
        end = c2.date_input(
            tr("explore.period_to"), key="ex_to", min_value=plan.start, max_value=f.as_of, format="DD/MM/YYYY"
        )
    else:
        st.caption(tr("explore.at_date", date=fmt.date(f.as_of)))
    chosen: dict[str, list[str]] = {}
    with st.expander(
        tr("explore.filters"),
        icon=":material/filter_alt:",
        expanded=any(st.session_state.get(f"ex_flt_{ds_code}_{d}") for d in dims),
    ):
        cols = st.columns(3)
        filter_dims = [d for d in dims if d != "unit"]  # the unit comes from the sidebar
        for i, dim in enumerate(filter_dims):
            known = explore.options(plan, dim)
            if known is None:  # free text (provider): the values present in the data
                present = data.explore_run(
                    explore.Spec(
                        dataset=ds_code,
                        by=dim,
                        period_start=plan.start,
                        period_end=f.as_of,
                        as_of=f.as_of,
                        department=f.unit,
                        centers=CENTERS,
                        training_types=plan.training_types,
                    ),
                )
                known = [str(v) for v in present["dim1"]]
            key = f"ex_flt_{ds_code}_{dim}"
            st.session_state[key] = [v for v in st.session_state.get(key, []) if v in known]
            chosen[dim] = cols[i % 3].multiselect(
                _dim_label(dim),
                known,
                key=key,
                format_func=lambda v, d=dim: _value_label(d, v),
                placeholder=tr("requests.all"),
            )

_write_url(ds_code, by, by2, measure, start, end, chosen)
if start > end:
    st.warning(tr("explore.bad_period"), icon=":material/event_busy:")
    st.stop()


spec = explore.Spec(
    dataset=ds_code,
    by=by,
    by2=by2 or None,
    measure=measure,
    period_start=start,
    period_end=end,
    as_of=f.as_of,
    department=f.unit,
    filters={d: tuple(v) for d, v in chosen.items() if v},
    centers=CENTERS,
    training_types=plan.training_types,
)
try:
    result = data.explore_run(spec)
except ValueError as e:  # a hand-edited URL: the whitelist's Vietnamese message
    st.error(str(e), icon=":material/error:")
    st.stop()

if result.empty:
    st.info(tr("explore.empty"), icon=":material/inbox:")
    st.stop()
result = explore.with_zero_groups(plan, spec, result)  # every group of the dimension, zeros too

# --- table and chart ------------------------------------------------------------------------------------------------

is_share = measure == "share"
value_name = tr(f"explore.m_{measure}")
labels1 = [_value_label(by, v) for v in result["dim1"]]
labels2 = [_value_label(by2, v) for v in result["dim2"]] if by2 else None
# In the chart the labels are Plotly text (a small HTML): a provider's name is typed by unit staff.
chart1 = [components.plot_text(v) for v in labels1]
chart2 = [components.plot_text(v) for v in labels2] if by2 else None
total = int(result["value"].sum())
st.markdown(
    tr("explore.total", value=f"**{fmt.number(total, lang=f.lang)}**")
    + f" · {tr(f'explore.ds_{ds_code}')} · {value_name if not is_share else tr('explore.m_count')}"
)

y = result["share_pct"].astype(float) if is_share else result["value"].astype(float)
text = [fmt.percent(v, 1, f.lang) if is_share else fmt.number(v, lang=f.lang) for v in y]
if not by2:
    bars = {value_name: (chart1, y, text)}
else:
    series = list(dict.fromkeys(chart2))
    if len(series) > charts.MAX_SERIES:
        st.caption(tr("explore.too_many_series", dim=_dim_label(by2), n=len(series)))
        series = series[: charts.MAX_SERIES]
    frame2 = pd.DataFrame({"x": chart1, "s": chart2, "y": y, "t": text})
    bars = {s: tuple(frame2.loc[frame2["s"] == s, c] for c in ("x", "y", "t")) for s in series}
fig = charts.breakdown_bars(
    bars,
    categories=chart1,
    x_title=_dim_label(by),
    y_title=value_name,
    legend_title=_dim_label(by2) if by2 else None,
    percent=is_share,
)
st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})

table = pd.DataFrame({_dim_label(by): labels1})
if by2:
    table[_dim_label(by2)] = labels2
if not is_share:
    table[value_name] = result["value"].astype(int).tolist()
else:
    table[tr("explore.m_count")] = result["value"].astype(int).tolist()
table[tr("explore.col_share")] = [fmt.percent(v, 1, f.lang) for v in result["share_pct"].astype(float)]
components.table(table, f.lang)
exported = table.copy()
exported[tr("explore.col_share_number")] = result["share_pct"].astype(float).round(1).tolist()
exported = exported.drop(columns=[tr("explore.col_share")])
exporting.download_buttons(
    exported,
    f"kham-pha-{ds_code}-{by}" + (f"-{by2}" if by2 else ""),
    f.lang,
    key="ex_export",
    title=tr("explore.title", date=fmt.date(f.as_of)),
)
