"""The CSV reader (DuckDB's read_csv) gives the grid of text a person sees in the file: tricky files, hand-written
expectations (the same as the earlier pandas reader gave), row numbers as the file shows them."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from planboard import ingest

HEAD = "resident_id,full_name,gender\n"


def grid(name: str, data: bytes) -> tuple[dict[int, tuple[str, ...]], list[tuple[int | None, str]]]:
    """The first sheet's rows {row number: cells} and the problems as (row, message)."""
    sheets, problems = ingest.read_table_file(name, data)
    rows = {}
    if sheets:
        raw = sheets[0].raw
        rows = {int(r): tuple(raw.loc[r]) for r in raw.index}
    return rows, [(p.row, p.message) for p in problems]


@pytest.mark.parametrize(
    "data, expected",
    [
        pytest.param(
            (HEAD + "R1,An,nam\nR2,Bình,nu\n").encode(), {2: ("R1", "An", "nam"), 3: ("R2", "Bình", "nu")}, id="plain"
        ),
        pytest.param(
            codecs.BOM_UTF8 + b"resident_id,full_name,gender\r\nR1,An,nam\r\n", {2: ("R1", "An", "nam")}, id="bom-crlf"
        ),
        pytest.param(
            "DANH SÁCH NGƯỜI CAO TUỔI;;\n;;\nresident_id;full_name;gender\nR1;An;nam\n".encode(),
            {4: ("R1", "An", "nam")},
            id="semicolon-title-rows",
        ),
        pytest.param(
            "resident_id\tfull_name\tgender\nR1\tAn\tnam\n".encode("utf-16"), {2: ("R1", "An", "nam")}, id="utf16-tab"
        ),
        pytest.param(
            (HEAD + 'R1,"An\nBình",nam\nR2,"C, D",nu\n').encode(),
            {2: ("R1", "An\nBình", "nam"), 3: ("R2", "C, D", "nu")},
            id="quoted-newline-and-delimiter",
        ),
        pytest.param(
            (HEAD + 'R1,"An ""Ba""",nam\nR2,Ng "Ba" V,nu\n').encode(),
            {2: ("R1", 'An "Ba"', "nam"), 3: ("R2", 'Ng "Ba" V', "nu")},
            id="quotes-in-cells",
        ),
        pytest.param(
            b"resident_id,full_name,gender,,\nR1,An,nam,,\nR2,B,nu,,\n",
            {2: ("R1", "An", "nam"), 3: ("R2", "B", "nu")},
            id="trailing-empty-columns",
        ),
        pytest.param(
            unicodedata.normalize("NFD", "Mã đối tượng,Họ và tên,Giới tính\nR1,Nguyễn Thị Hằng,Nữ\n").encode(),
            {2: ("R1", "Nguyễn Thị Hằng", "Nữ")},
            id="nfd-text",
        ),
        pytest.param(
            (HEAD + "R1,An\nR2\nR3,C,nu\n").encode(),
            {2: ("R1", "An", ""), 3: ("R2", "", ""), 4: ("R3", "C", "nu")},
            id="short-rows-padded",
        ),
        pytest.param(
            (HEAD + "R1,An,nam\n\nR2,B,nu\n\n\n").encode(),
            {2: ("R1", "An", "nam"), 4: ("R2", "B", "nu")},
            id="blank-lines-counted",
        ),
        pytest.param(
            (HEAD.replace("\n", "\r\n") + "R1,An,nam\r\n\r\nR2,B,nu\r\n").encode(),
            {2: ("R1", "An", "nam"), 4: ("R2", "B", "nu")},
            id="blank-lines-crlf",
        ),
        pytest.param(
            (HEAD + 'R1,"An\n\nB",nam\nR2,B,nu\n\nR3,C,nu\n').encode(),
            {2: ("R1", "An\n\nB", "nam"), 3: ("R2", "B", "nu"), 5: ("R3", "C", "nu")},
            id="blank-line-inside-quotes-is-text",
        ),
        pytest.param(
            (HEAD + ' R1 ,\u00a0An\u3000, nam\t\n   \n,,\nR2,"  B  ",nu').encode(),
            {2: ("R1", "An", "nam"), 5: ("R2", "B", "nu")},
            id="cells-stripped-empty-rows-dropped",
        ),
        pytest.param((HEAD + "R1,An,nam\r").replace("\n", "\r").encode(), {2: ("R1", "An", "nam")}, id="cr-line-ends"),
        pytest.param(
            "DANH SÁCH\r\rresident_id,full_name,gender\rR1,An,nam\rR2,B,nu\r".encode(),
            {4: ("R1", "An", "nam"), 5: ("R2", "B", "nu")},
            id="cr-line-ends-with-title-rows",
        ),
        pytest.param(
            b"resident_id;full_name;gender\nR1;Nguy\xea\xden;n\xfd\xde\n", {2: ("R1", "Nguyễn", "nữ")}, id="cp1258"
        ),
    ],
)
def test_csv_grid(data, expected):
    rows, problems = grid("residents.csv", data)
    assert problems == []
    assert rows == expected


@pytest.mark.parametrize(
    "data, row, saw, expected",
    [
        pytest.param(HEAD + "R1,An,nam\nR2,B,nu,x,y\n", 3, 5, 3, id="long-row"),
        pytest.param(HEAD + 'R1,"A\nB",nam\nR2,B,nu,x\n', 3, 4, 3, id="long-row-after-quoted-newline"),
        pytest.param(HEAD + "R1,An,nam\n\nR2,B,nu,x\n", 4, 4, 3, id="long-row-after-blank-line"),
        pytest.param("Danh sách\n" + HEAD + "R1,An,nam,x,y,z\n", 3, 6, 3, id="long-row-after-title"),
    ],
)
def test_csv_row_longer_than_the_header(data, row, saw, expected):
    rows, problems = grid("residents.csv", data.encode())
    assert rows == {}
    assert len(problems) == 1 and problems[0][0] == row
    assert f"có {saw} ô" in problems[0][1] and f"({expected} ô)" in problems[0][1]


def test_csv_unclosed_quote_is_broken():
    rows, problems = grid("residents.csv", (HEAD + 'R1,"An,nam\nR2,B,nu\n').encode())
    assert rows == {} and problems == [(None, ingest.message("csv_broken"))]


def test_csv_unnamed_column_with_data():
    rows, problems = grid("residents.csv", (b"resident_id,full_name,gender,\nR1,An,nam,\nR2,B,nu,x\n"))
    assert problems == [(3, ingest.message("unnamed_column", index=4))]


FILLER = "".join(f"R{i},An,nam\n" for i in range(2, 9000))  # ~100 KB: past the head the header is looked for in


def test_cp1258_after_a_long_utf8_looking_start():
    data = (HEAD + FILLER).encode() + b"R9000,Nguy\xea\xden,n\xfd\xde\n"
    rows, problems = grid("residents.csv", data)
    assert problems == [] and len(rows) == 8999
    assert rows[9000] == ("R9000", "Nguyễn", "nữ")


def test_decomposed_text_after_a_long_nfc_start():
    data = (HEAD + FILLER + unicodedata.normalize("NFD", "R9000,Nguyễn Thị Hằng,Nữ\n")).encode()
    rows, problems = grid("residents.csv", data)
    assert problems == [] and rows[9000] == ("R9000", "Nguyễn Thị Hằng", "Nữ")


def test_invalid_bytes_after_a_long_utf8_start():
    data = (HEAD + FILLER).encode() + "R9000,Tr\u00b8n V\u00a7n,nam\n".encode("cp1252")  # TCVN3, not Windows-1258
    rows, problems = grid("residents.csv", data)
    assert rows == {} and [m for _, m in problems] == [ingest.message("bad_encoding")]


def test_emptied_frame_lets_the_text_go():
    """The cells kept for problem messages are dropped before the write: a slice (iloc[:0]) of Arrow-backed text
    would keep the whole buffers, `emptied` keeps the columns and their types only."""
    import gc

    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from planboard.ingest.read import emptied

    text = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = pd.DataFrame({"full_name": pd.array(["x" * 100] * 10_000, dtype=text)}, index=range(2, 10_002))
    held = pa.total_allocated_bytes()
    sliced = frame.iloc[:0]
    empty = emptied(frame)
    del frame
    gc.collect()
    # the slice still holds the 10,000 x 100 = 1,000,000 bytes of text
    assert pa.total_allocated_bytes() >= held - 1_000
    del sliced
    gc.collect()
    assert pa.total_allocated_bytes() <= held - 1_000_000  # emptied holds none of them
    assert list(empty.columns) == ["full_name"] and len(empty) == 0 and empty["full_name"].dtype == text
