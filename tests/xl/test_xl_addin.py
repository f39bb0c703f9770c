"""radit addin build: the ribbon add-in from xlwings' own template, reproducible, its button reaching radit.main()."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from workbook.excel.classic_build import ON_ACTION, build_addin, template_path
from workbook.cli.main import run as cli

from xl_vba import module_sources

NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}


def _ribbon(xlam: Path):
    with zipfile.ZipFile(xlam) as z:
        return ElementTree.fromstring(z.read("customUI/customUI.xml"))


def test_the_cli_builds_the_addin_and_its_module(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert cli(["addin", "build", "-o", str(tmp_path / "radit.xlam")], out, err) == 0, err.getvalue()
    assert (tmp_path / "radit.xlam").is_file() and (tmp_path / "radit.py").is_file()
    assert "from workbook.excel.classic import" in (tmp_path / "radit.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, label", [("both", "Evaluate / Novērtēt"), ("lv", "Novērtēt"), ("en", "Evaluate")])
def test_the_ribbon_has_tab_radit_and_the_evaluate_button(tmp_path, lang, label):
    built = build_addin(tmp_path / "radit.xlam", lang=lang)
    ribbon = _ribbon(built.xlam)
    tab = ribbon.find(".//ui:tab", NS)
    button = ribbon.find(".//ui:button", NS)
    assert tab.get("label") == "radit"
    assert (button.get("label"), button.get("onAction")) == (label, ON_ACTION)


def test_the_button_macro_runs_main_of_the_module_named_after_the_file(tmp_path):
    built = build_addin(tmp_path / "radit.xlam")
    with zipfile.ZipFile(built.xlam) as z:
        sources = module_sources(z.read("xl/vbaProject.bin"))
    module, sub = ON_ACTION.split(".")
    source = sources[module]
    assert f"Sub {sub}(control As IRibbonControl)" in source
    # mymodule = the workbook's name without extension -> RunPython "import radit;radit.main()"
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in source
    assert "Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name" in source


def test_every_other_part_is_the_template_byte_for_byte(tmp_path):
    built = build_addin(tmp_path / "radit.xlam")
    changed = {"customUI/customUI.xml"}
    with zipfile.ZipFile(template_path()) as t, zipfile.ZipFile(built.xlam) as b:
        assert [i.filename for i in t.infolist()] == [i.filename for i in b.infolist()]
        for info in t.infolist():
            if info.filename not in changed:
                assert t.read(info) == b.read(info.filename), info.filename


def test_the_build_is_reproducible(tmp_path):
    first = build_addin(tmp_path / "a" / "radit.xlam").xlam.read_bytes()
    second = build_addin(tmp_path / "b" / "radit.xlam").xlam.read_bytes()
    assert first == second


@pytest.mark.parametrize("name", ["radit.xlsx", "my-addin.xlam", "1radit.xlam"])
def test_names_that_runpython_cannot_import_are_refused(tmp_path, name):
    err = io.StringIO()
    assert cli(["addin", "build", "-o", str(tmp_path / name)], io.StringIO(), err) == 2
    assert err.getvalue().startswith("radit: ")


def test_xlwings_vba_puts_the_addins_folder_on_pythonpath_and_names_udfs_after_it(tmp_path):
    # Why radit.py only has to sit next to the installed add-in, and why the README names ~/.myaddin.
    built = build_addin(tmp_path / "radit.xlam")
    with zipfile.ZipFile(built.xlam) as z:
        source = module_sources(z.read("xl/vbaProject.bin"))["xlwings"]
    assert '& ";" & ThisWorkbook.FullName & ";"' in source
    assert "GetUdfModules = Left$(wb.Name, Len(wb.Name) - 5)" in source
    assert 'Public Const PROJECT_NAME As String = "myaddin"' in source
    assert 'XLPy.SetAttr XLPy.Module("xlwings._xlwindows"), "BOOK_CALLER", ActiveWorkbook' in source
