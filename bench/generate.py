"""Fast master-workbook generator for the benchmark: streams the sheet XML and shared strings like Excel writes them."""
from __future__ import annotations

import argparse
import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

if __package__ in (None, ""):  # run as a script: make `workbook` importable from the repo
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.findings import column_letter
from workbook.model.vocabulary import COLUMNS, SHEETS, TABLE_NAME, YEAR_HEADER_LV

BASELINE_YEAR, EVALUATION_YEAR = 2012, 2016
UNITS = ("count", "money", "hours", "percent", "percent_change", "milestone")
DIRECTIONS = ("higher_is_better", "lower_is_better", "")
WORDS = ("cilvēku tirdzniecības", "novēršana", "upuru", "identificēto", "atbalsta", "pakalpojumu", "sniegšana",
         "sabiedrības", "informētības", "paaugstināšana", "speciālistu", "apmācība", "valsts", "policijas",
         "sadarbība", "starptautiskā", "kriminālprocesu", "skaits", "īpatsvars", "pašvaldību", "sociālo",
         "dienestu", "kompetences", "stiprināšana", "izglītības", "iestāžu", "programmu", "īstenošana")


def headers() -> list[str]:
    """The indicator table's headers in the order `radit new` uses, one forecast and one achieved year."""
    head = [c.header("lv") for c in COLUMNS[:12]]
    head += [YEAR_HEADER_LV["forecast"].format(year=EVALUATION_YEAR), YEAR_HEADER_LV["actual"].format(year=EVALUATION_YEAR)]
    head += [c.header("lv") for c in COLUMNS[12:]]
    return head


class _Strings:
    """A shared-string table: index per distinct text, in first-use order (what Excel writes)."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.count = 0

    def ref(self, text: str) -> int:
        self.count += 1
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def xml(self) -> bytes:
        parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS}" '
                 f'count="{self.count}" uniqueCount="{len(self.index)}">']
        parts += [f"<si><t>{escape(t)}</t></si>" for t in self.index]
        parts.append("</sst>")
        return "".join(parts).encode("utf-8")


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _row_values(i: int, rng: random.Random) -> list:
    """One indicator row: ('s', text) shared strings, ('n', number) numbers, None empty."""
    goal = "AB"[i % 2]
    g = i // 40 + 1
    unit = UNITS[rng.randrange(len(UNITS))] if i % 7 else "count"
    direction = DIRECTIONS[i % 3]
    pct = unit.startswith("percent")
    base = round(rng.uniform(1, 95), 1) if pct else rng.randrange(10, 50000)
    forecast = round(base * rng.uniform(0.9, 1.3), 1 if pct else 0)
    actual = round(forecast * rng.uniform(0.9, 1.1), 1 if pct else 0)
    f_cell = ("n", forecast)
    a_cell = ("n", actual)
    if i % 23 == 5:
        a_cell = ("s", str(actual).replace(".", ","))  # a number stored as text, Latvian decimal comma
    if i % 31 == 7:
        f_cell = ("s", f"{forecast:g}–{forecast * 1.1:g}".replace(".", ","))  # a range
    if unit == "milestone":
        f_cell, a_cell = ("n", 1), ("n", 1 if i % 5 else 0)
    if i % 53 == 11:
        a_cell = None  # no data received
    sample = ("n", rng.randrange(3, 400)) if i % 9 == 0 else None
    override = ("s", "achieved") if i % 97 == 3 else None
    just = ("s", f"Pamatojums {i}: {_text(rng, 7)}") if override or i % 3 == 0 else None
    return [
        ("s", f"{goal}{g}.{i + 1}"), ("s", goal), ("s", f"Mērķis {goal}{g}: {_text(rng, 4)}"),
        ("s", "Politikas rezultāts" if i % 4 == 0 else "Darbības rezultāts"), ("s", f"{goal}{g}"),
        ("s", f"Rezultāts {goal}{g}: {_text(rng, 4)}"), ("s", f"Rādītājs {i + 1}: {_text(rng, 6)}"),
        ("s", unit), ("s", direction) if direction else None, ("n", BASELINE_YEAR), ("n", base), sample,
        f_cell, a_cell, override, just, None, None, None, None,
    ]


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _sheet_xml(rows: int, strings: _Strings, seed: int):
    """Yield the indicator sheet's XML in chunks (it is streamed into the zip, never held whole)."""
    head = headers()
    last = column_letter(len(head))
    letters = [column_letter(c + 1) for c in range(len(head))]
    yield (f'{_HEAD}<worksheet xmlns="{_NS}" xmlns:r="{_R}"><dimension ref="A1:{last}{rows + 1}"/>'
           f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           f'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>')
    cells = "".join(f'<c r="{letters[c]}1" t="s"><v>{strings.ref(h)}</v></c>' for c, h in enumerate(head))
    yield f'<row r="1" spans="1:{len(head)}">{cells}</row>'
    rng = random.Random(seed)
    chunk = []
    for i in range(rows):
        r = i + 2
        parts = [f'<row r="{r}" spans="1:{len(head)}">']
        for c, v in enumerate(_row_values(i, rng)):
            if v is None:
                continue
            kind, value = v
            if kind == "s":
                parts.append(f'<c r="{letters[c]}{r}" t="s"><v>{strings.ref(value)}</v></c>')
            else:
                parts.append(f'<c r="{letters[c]}{r}"><v>{value}</v></c>')
        parts.append("</row>")
        chunk.append("".join(parts))
        if len(chunk) >= 2000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    yield f'</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'


def _settings_xml(strings: _Strings) -> str:
    rows = [("Bāzes gads", BASELINE_YEAR), ("Novērtējuma gads", EVALUATION_YEAR), ("Valoda", "lv")]
    out = []
    for r, (label, value) in enumerate(rows, 1):
        v = f'<c r="B{r}"><v>{value}</v></c>' if isinstance(value, int) else f'<c r="B{r}" t="s"><v>{strings.ref(value)}</v></c>'
        out.append(f'<row r="{r}"><c r="A{r}" t="s"><v>{strings.ref(label)}</v></c>{v}</row>')
    return f'{_HEAD}<worksheet xmlns="{_NS}" xmlns:r="{_R}"><sheetData>{"".join(out)}</sheetData></worksheet>'


def _table_xml(rows: int) -> str:
    head = headers()
    ref = f"A1:{column_letter(len(head))}{rows + 1}"
    cols = "".join(f'<tableColumn id="{i}" name="{escape(h)}"/>' for i, h in enumerate(head, 1))
    return (f'{_HEAD}<table xmlns="{_NS}" id="1" name="{TABLE_NAME["lv"]}" displayName="{TABLE_NAME["lv"]}" '
            f'ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/><tableColumns count="{len(head)}">{cols}'
            f'</tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            f'showRowStripes="1" showColumnStripes="0"/></table>')


_STYLES = (f'{_HEAD}<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
           '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')

_CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')

_ROOT_RELS = (f'{_HEAD}<Relationships xmlns="{_PR}"><Relationship Id="rId1" '
              f'Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>')

_WORKBOOK = (f'{_HEAD}<workbook xmlns="{_NS}" xmlns:r="{_R}"><bookViews><workbookView/></bookViews><sheets>'
             f'<sheet name="{SHEETS["indicators"]["lv"]}" sheetId="1" r:id="rId1"/>'
             f'<sheet name="{SHEETS["settings"]["lv"]}" sheetId="2" r:id="rId2"/></sheets></workbook>')

_WORKBOOK_RELS = (f'{_HEAD}<Relationships xmlns="{_PR}">'
                  f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
                  f'<Relationship Id="rId2" Type="{_R}/worksheet" Target="worksheets/sheet2.xml"/>'
                  f'<Relationship Id="rId3" Type="{_R}/styles" Target="styles.xml"/>'
                  f'<Relationship Id="rId4" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')

_SHEET_RELS = (f'{_HEAD}<Relationships xmlns="{_PR}"><Relationship Id="rId1" Type="{_R}/table" '
               f'Target="../tables/table1.xml"/></Relationships>')


def generate(path, rows: int, *, seed: int = 1) -> Path:
    """Write a master workbook of `rows` indicator rows to `path` and return the path."""
    path = Path(path)
    strings = _Strings()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for chunk in _sheet_xml(rows, strings, seed):
                f.write(chunk.encode("utf-8"))
        z.writestr("xl/worksheets/_rels/sheet1.xml.rels", _SHEET_RELS)
        z.writestr("xl/worksheets/sheet2.xml", _settings_xml(strings))
        z.writestr("xl/tables/table1.xml", _table_xml(rows))
        z.writestr("xl/sharedStrings.xml", strings.xml())
    return path


def check(path) -> int:
    """Read the workbook back with python-calamine and openpyxl; the number of indicator rows."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    sheet = SHEETS["indicators"]["lv"]
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    wb = openpyxl.load_workbook(path, read_only=False)
    ws = wb[sheet]
    assert TABLE_NAME["lv"] in ws.tables, "table part missing"
    assert [c.value for c in ws[1]] == headers() == grid[0]
    assert ws.max_row == len(grid)
    return len(grid) - 1


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    p.add_argument("--rows", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--check", action="store_true", help="read it back with calamine and openpyxl")
    a = p.parse_args(argv)
    generate(a.out, a.rows, seed=a.seed)
    if a.check:
        print(f"{a.out}: {check(a.out)} rows read back")
    return 0


if __name__ == "__main__":
    sys.exit(main())
