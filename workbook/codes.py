"""The workbook's codes, findings and refusals alike, registered into the one catalogue (engine.codes.CATALOGUE).

`import workbook` imports this module, so every code is known before any finding or refusal is made. Codes are
an interface (JSON output, pytest failures, CI scripts grep them): never rename one. A key with a dot
(`too-large.file`) is a variant's template: the refusal still carries its code (`too-large`); the variant
only chooses the sentence, in Latvian and English.
"""
from __future__ import annotations

from engine.codes import CodeEntry, register

E, W = "error", "warning"

FINDINGS: dict[str, CodeEntry] = {
    # --- workbook (reading and validation) ---
    "number-stored-as-text": CodeEntry(
        W, "{field} is a number stored as text: {text!r}", "{field} ir skaitlis, kas saglabāts kā teksts: {text!r}",
        "convert the cell to a number", "pārveidojiet šūnu par skaitli",
    ),
    "formula-without-value": CodeEntry(
        E, "the formula {formula} has no calculated value", "formulai {formula} nav aprēķinātas vērtības",
        "open the workbook in Excel, recalculate and save it", "atveriet darbgrāmatu Excel, pārrēķiniet un saglabājiet",
    ),
    "missing-column": CodeEntry(
        E, "the indicator table has no column {column!r}", "rādītāju tabulā nav kolonnas {column!r}",
        "add a column with one of the headers: {headers}", "pievienojiet kolonnu ar kādu no virsrakstiem: {headers}",
    ),
    "duplicate-column": CodeEntry(
        E, "the header {header!r} names the column {column!r} twice", "virsraksts {header!r} kolonnu {column!r} nosauc divreiz",
    ),
    "missing-id": CodeEntry(
        E, "the row has data but no indicator id", "rindā ir dati, bet nav rādītāja identifikatora",
    ),
    "duplicate-id": CodeEntry(
        E, "indicator id {id!r} appears again (first at row {first_row})",
        "rādītāja identifikators {id!r} atkārtojas (pirmoreiz {first_row}. rindā)",
    ),
    "rule-id-not-in-workbook": CodeEntry(
        W, "the rule file names indicator {id!r}, which the workbook does not have",
        "noteikumu failā minēts rādītājs {id!r}, kura darbgrāmatā nav",
    ),
    "workbook-id-not-in-rules": CodeEntry(
        W, "indicator {id!r} is not listed in the rule file, which lists its indicators",
        "rādītājs {id!r} nav minēts noteikumu failā, kurā uzskaitīti rādītāji",
    ),
    "year-mismatch": CodeEntry(
        E, "the forecast is for {forecast_year} but the achieved value is for {actual_year}",
        "prognoze ir {forecast_year}. gadam, bet sasniegtā vērtība {actual_year}. gadam",
        "the forecast and the achieved value must belong to the same year",
        "prognozei un sasniegtajai vērtībai jāattiecas uz vienu gadu",
    ),
    "missing-year": CodeEntry(
        E, "the workbook has no {kind} column for the evaluation year {year}",
        "darbgrāmatā nav {kind} kolonnas novērtējuma gadam {year}",
    ),
    "stale-assessment": CodeEntry(
        E, "stored {stored}, rules give {computed}", "saglabāts {stored}, noteikumi dod {computed}",
        "run radit evaluate", "palaidiet radit evaluate",
    ),
    "merged-cells": CodeEntry(
        W, "merged cells {range} in the indicator table", "apvienotas šūnas {range} rādītāju tabulā",
        "unmerge them so that every row carries its own values", "atdaliet tās, lai katrā rindā būtu savas vērtības",
    ),
    "date-in-number-column": CodeEntry(
        E, "{field} holds a date ({text}) where a number belongs", "{field} satur datumu ({text}), kur jābūt skaitlim",
    ),
    "bad-setting": CodeEntry(
        E, "setting {setting!r} has the value {text!r}, which is not valid", "iestatījumam {setting!r} ir nederīga vērtība {text!r}",
    ),
}

_SAVE_IN_EXCEL = ("open and save the workbook in Excel first", "vispirms atveriet un saglabājiet darbgrāmatu Excel")

READING: dict[str, CodeEntry] = {
    # --- refusals: the file or package cannot be read (validate reports it, evaluate writes nothing) ---
    "not-found": CodeEntry(E, "no such file", "šāda faila nav"),
    "not-a-file": CodeEntry(E, "is not a regular file", "nav parasts fails"),
    "not-a-file.directory": CodeEntry(E, "is a folder, not a workbook file", "ir mape, nevis darbgrāmatas fails"),
    "not-a-file.fifo": CodeEntry(E, "is a named pipe (FIFO), not a workbook file",
                                 "ir nosaukts kanāls (FIFO), nevis darbgrāmatas fails"),
    "not-a-file.character-device": CodeEntry(E, "is a character device, not a workbook file",
                                             "ir rakstzīmju ierīce, nevis darbgrāmatas fails"),
    "not-a-file.block-device": CodeEntry(E, "is a block device, not a workbook file", "ir bloku ierīce, nevis darbgrāmatas fails"),
    "not-a-file.socket": CodeEntry(E, "is a socket, not a workbook file", "ir ligzda (socket), nevis darbgrāmatas fails"),
    "not-a-file.symlink-loop": CodeEntry(E, "is a symbolic link that loops: it never reaches a file",
                                         "ir simboliska saite, kas veido cilpu: tā nekad nenonāk līdz failam"),
    "unreadable": CodeEntry(E, "cannot be read: {reason}", "nevar nolasīt: {reason}"),
    "unreadable.open": CodeEntry(E, "the file cannot be opened: {reason}", "failu nevar atvērt: {reason}"),
    "unreadable.sheet": CodeEntry(E, "the sheet cannot be read ({reason}): neither python-calamine nor openpyxl parses it",
                                  "lapu nevar nolasīt ({reason}): to neparsē ne python-calamine, ne openpyxl", *_SAVE_IN_EXCEL),
    "unreadable.xml": CodeEntry(E, "the sheet is not well-formed XML: {reason} (line {line}, column {column})",
                                "lapa nav pareizi veidots XML: {reason} ({line}. rinda, {column}. kolonna)",
                                *_SAVE_IN_EXCEL),
    "not-a-zip": CodeEntry(E, "not an Excel .xlsx/.xlsm file (not a zip package)", "nav Excel .xlsx/.xlsm fails (nav zip pakotne)"),
    "legacy-xls": CodeEntry(E, "an old binary .xls workbook", "vecs binārs .xls darbgrāmatas fails",
                            "save it as .xlsx", "saglabājiet to kā .xlsx"),
    "encrypted": CodeEntry(E, "the workbook is password-protected (encrypted)", "darbgrāmata ir aizsargāta ar paroli (šifrēta)",
                           "save a copy without a password", "saglabājiet kopiju bez paroles"),
    "truncated": CodeEntry(E, "the file is damaged or truncated (the zip directory is unreadable)",
                           "fails ir bojāts vai nepilnīgs (zip direktoriju nevar nolasīt)"),
    "truncated.part": CodeEntry(E, "the part {part} is damaged: {reason}", "daļa {part} ir bojāta: {reason}"),
    "too-large": CodeEntry(E, "the workbook is larger than radit's limits allow", "darbgrāmata pārsniedz radit robežas"),
    "too-large.file": CodeEntry(E, "the file is {size_mb} MB, over radit's limit of {limit_mb} MB",
                                "fails ir {size_mb} MB, vairāk par radit robežu {limit_mb} MB",
                                "if the file is genuine, raise RADIT_MAX_FILE_MB",
                                "ja fails ir īsts, palieliniet RADIT_MAX_FILE_MB"),
    "too-large.package": CodeEntry(E, "the workbook unpacks to more than radit's limit ({part})",
                                   "atpakota darbgrāmata pārsniedz radit robežu ({part})",
                                   "if the file is genuine, raise RADIT_MAX_UNCOMPRESSED_MB or RADIT_MAX_PART_MB",
                                   "ja fails ir īsts, palieliniet RADIT_MAX_UNCOMPRESSED_MB vai RADIT_MAX_PART_MB"),
    "too-large.ratio": CodeEntry(E, "the part {part} inflates suspiciously ({size} bytes from {compressed})",
                                 "daļa {part} atpakojas aizdomīgi ({size} baiti no {compressed})"),
    "too-large.part": CodeEntry(E, "the part {part} unpacks to more than radit's limit of {limit} bytes",
                                "atpakota daļa {part} pārsniedz radit robežu {limit} baiti"),
    "too-large.sheet": CodeEntry(E, "the sheet would span {rows} rows × {columns} columns = {cells} cells (as far as {far}), "
                                    "more than radit's limit of {limit} cells",
                                 "lapa aptvertu {rows} rindas × {columns} kolonnas = {cells} šūnas (līdz {far}), "
                                 "vairāk par radit robežu {limit} šūnas",
                                 "delete the far cells and rows (Ctrl+End shows the last cell Excel keeps), then save",
                                 "izdzēsiet tālās šūnas un rindas (Ctrl+End parāda pēdējo šūnu, ko Excel glabā) un saglabājiet"),
    "too-large.memory": CodeEntry(E, "out of memory while reading", "lasot beidzās atmiņa"),
    "bad-xml": CodeEntry(E, "a part of the workbook is XML radit refuses", "darbgrāmatas daļa ir XML, ko radit neatļauj"),
    "bad-xml.dtd": CodeEntry(E, "the part {part} declares a DTD or entities, which radit refuses",
                             "daļa {part} deklarē DTD vai entītijas, ko radit neatļauj"),
    "bad-xml.control": CodeEntry(E, "the part {part} holds a control character (byte {offset}), as no workbook Excel writes does",
                                 "daļā {part} ir vadības rakstzīme ({offset}. baits), kādu Excel nekad neraksta"),
    "duplicate-part": CodeEntry(E, "the package holds the part {part} twice ({first} and {second})",
                                "pakotnē daļa {part} ir divreiz ({first} un {second})",
                                "tools disagree on which copy counts: save the workbook again in Excel",
                                "rīki nav vienisprātis, kura kopija ir spēkā: saglabājiet darbgrāmatu Excel vēlreiz"),
    "duplicate-part.native": CodeEntry(E, "a sheet's relationship names {first} as Excel resolves it and {second} as "
                                          "python-calamine does: radit would check one and read the other",
                                       "lapas relācija nosauc {first}, kā to saprot Excel, un {second}, kā python-calamine: "
                                       "radit pārbaudītu vienu un lasītu otru",
                                       "save the workbook again in Excel", "saglabājiet darbgrāmatu Excel vēlreiz"),
    "missing-part": CodeEntry(E, "the package has no part {part}", "pakotnē nav daļas {part}"),
    "not-a-workbook": CodeEntry(E, "the zip package holds no Excel workbook (xl/workbook.xml)",
                                "zip pakotnē nav Excel darbgrāmatas (xl/workbook.xml)"),
    "duplicate-cell": CodeEntry(E, "the cell {cell} is written twice in the sheet's XML: Excel keeps one, readers disagree which",
                                "šūna {cell} lapas XML ierakstīta divreiz: Excel patur vienu, lasītāji nav vienisprātis, kuru",
                                *_SAVE_IN_EXCEL),
    "reader-crashed": CodeEntry(E, "reading this file killed the reader process", "šī faila lasīšana izbeidza lasītāja procesu",
                                "please report it with the file", "lūdzu, ziņojiet par to, pievienojot failu"),
    "internal-error": CodeEntry(E, "internal error ({error})", "iekšēja kļūda ({error})",
                                "please report it with the file that caused it",
                                "lūdzu, ziņojiet par to, pievienojot failu, kas to izraisīja"),
    "no-workbooks": CodeEntry(E, "no .xlsx or .xlsm workbooks found", "nav atrastas .xlsx vai .xlsm darbgrāmatas"),
    "bad-arguments": CodeEntry(E, "the arguments are not valid: {problem}", "argumenti nav derīgi: {problem}"),
    "bad-arguments.both": CodeEntry(E, "give either an output file or --in-place, not both",
                                    "norādiet vai nu izvades failu, vai --in-place, ne abus"),
    "bad-arguments.jobs": CodeEntry(E, "--jobs must be at least 1", "--jobs jābūt vismaz 1"),
    "bad-arguments.year": CodeEntry(E, "--year {year} is not a year", "--year {year} nav gads"),
}

_OUTPUT_HINT = ("give the path of a workbook file (-o OUT.xlsx)", "norādiet darbgrāmatas faila ceļu (-o OUT.xlsx)")

WRITING: dict[str, CodeEntry] = {
    # --- refusals: evaluate writes nothing ---
    "open-in-excel": CodeEntry(E, "Excel has the workbook open ({lock} exists)", "darbgrāmata ir atvērta Excel ({lock} pastāv)",
                               "close it first", "vispirms aizveriet to"),
    "read-only": CodeEntry(E, "the workbook is marked read-only", "darbgrāmata ir atzīmēta kā tikai lasāma",
                           "clear that mark to let radit replace it", "noņemiet šo atzīmi, lai radit to varētu aizstāt"),
    "cannot-write": CodeEntry(E, "cannot write {target}: {reason}", "nevar ierakstīt {target}: {reason}"),
    "output-is-input": CodeEntry(E, "the output file is the workbook itself", "izvades fails ir pati darbgrāmata",
                                 "use --in-place to replace it (a backup is kept)",
                                 "lietojiet --in-place, lai to aizstātu (rezerves kopija tiek saglabāta)"),
    "output-not-a-file": CodeEntry(E, "the output {output} is not a regular file", "izvade {output} nav parasts fails", *_OUTPUT_HINT),
    "output-not-a-file.directory": CodeEntry(E, "the output {output} is a folder", "izvade {output} ir mape", *_OUTPUT_HINT),
    "output-not-a-file.fifo": CodeEntry(E, "the output {output} is a named pipe (FIFO), not a file radit may replace",
                                        "izvade {output} ir nosaukts kanāls (FIFO), nevis fails, ko radit drīkst aizstāt",
                                        *_OUTPUT_HINT),
    "output-not-a-file.character-device": CodeEntry(E, "the output {output} is a character device, not a file radit may replace",
                                                    "izvade {output} ir rakstzīmju ierīce, nevis fails, ko radit drīkst aizstāt",
                                                    *_OUTPUT_HINT),
    "output-not-a-file.block-device": CodeEntry(E, "the output {output} is a block device, not a file radit may replace",
                                                "izvade {output} ir bloku ierīce, nevis fails, ko radit drīkst aizstāt",
                                                *_OUTPUT_HINT),
    "output-not-a-file.socket": CodeEntry(E, "the output {output} is a socket, not a file radit may replace",
                                          "izvade {output} ir ligzda (socket), nevis fails, ko radit drīkst aizstāt",
                                          *_OUTPUT_HINT),
    "output-not-a-file.symlink-loop": CodeEntry(E, "the output {output} is a symbolic link that loops",
                                                "izvade {output} ir simboliska saite, kas veido cilpu", *_OUTPUT_HINT),
    "output-extension": CodeEntry(E, "the output {output} does not end in {expected}, as the workbook does: Excel tells a "
                                     "workbook's type by its extension",
                                  "izvade {output} nebeidzas ar {expected} kā darbgrāmata: Excel darbgrāmatas veidu nosaka "
                                  "pēc paplašinājuma",
                                  "name the output …{expected}", "nosauciet izvadi ar paplašinājumu {expected}"),
    "no-indicator-sheet": CodeEntry(E, "the indicator sheet {sheet!r} has no worksheet part", "rādītāju lapai {sheet!r} nav darblapas daļas"),
    "no-styles": CodeEntry(E, "the workbook has no styles part", "darbgrāmatai nav stilu daļas"),
    "strict-ooxml": CodeEntry(E, "the workbook is saved as Strict Open XML, which radit cannot patch",
                              "darbgrāmata saglabāta Strict Open XML formātā, ko radit nevar labot",
                              "save it as an ordinary Excel Workbook (.xlsx) first",
                              "vispirms saglabājiet to kā parastu Excel darbgrāmatu (.xlsx)"),
    "formula-output-cell": CodeEntry(E, "the cell holds a formula; radit writes values only into cells without formulas",
                                     "šūnā ir formula; radit raksta vērtības tikai šūnās bez formulām",
                                     "clear the formula or move it out of the output column",
                                     "notīriet formulu vai pārvietojiet to ārpus izvades kolonnas"),
    "formula-output-cell.range": CodeEntry(E, "the cell belongs to the shared or array formula over {range}; radit writes values "
                                              "only into cells without formulas",
                                           "šūna pieder kopīgajai vai masīva formulai apgabalā {range}; radit raksta vērtības "
                                           "tikai šūnās bez formulām",
                                           "clear the formula or move it out of the output column",
                                           "notīriet formulu vai pārvietojiet to ārpus izvades kolonnas"),
    "merged-output-cell": CodeEntry(E, "the cell lies inside the merged range {range}", "šūna atrodas apvienotajā apgabalā {range}",
                                    "unmerge it so radit can write its assessment there",
                                    "atdaliet šūnas, lai radit tur varētu ierakstīt vērtējumu"),
    "threaded-comment": CodeEntry(E, "the cell holds a threaded comment; radit's note would break it",
                                  "šūnā ir pavediena komentārs; radit piezīme to sabojātu",
                                  "move the comment to another cell", "pārvietojiet komentāru uz citu šūnu"),
    "owned-sheet-taken": CodeEntry(E, "the sheet {sheet!r} is the analyst's own, not radit's to replace",
                                   "lapa {sheet!r} ir analītiķa, nevis radit, lai to aizstātu",
                                   "rename that sheet", "pārdēvējiet šo lapu"),
    "no-sheet-data": CodeEntry(E, "the worksheet has no <sheetData>; it is not a sheet radit can write",
                               "darblapai nav <sheetData>; tā nav lapa, kurā radit var rakstīt"),
    "sheet-protected": CodeEntry(E, "the sheet is protected", "lapa ir aizsargāta",
                                 "unprotect it (Review > Unprotect Sheet) so radit can write its assessments",
                                 "noņemiet aizsardzību (Pārskatīšana > Noņemt lapas aizsardzību), lai radit varētu ierakstīt vērtējumus"),
    "workbook-protected": CodeEntry(E, "the workbook's structure is protected", "darbgrāmatas struktūra ir aizsargāta",
                                    "unprotect it (Review > Protect Workbook) so radit can add its legend and summary sheets",
                                    "noņemiet aizsardzību (Pārskatīšana > Aizsargāt darbgrāmatu), lai radit varētu pievienot "
                                    "leģendas un kopsavilkuma lapas"),
    "too-many-styles": CodeEntry(E, "writing would give the workbook {count} cell formats, more than Excel's limit of {limit}",
                                 "rakstot darbgrāmatā būtu {count} šūnu formāti, vairāk par Excel robežu {limit}",
                                 "remove unused cell styles (or give the assessment column fewer distinct formats)",
                                 "noņemiet neizmantotos šūnu stilus (vai vērtējuma kolonnai dodiet mazāk atšķirīgu formātu)"),
    "unordered-rows": CodeEntry(E, "row {number} comes after row {previous} in the sheet's XML; radit patches sheets whose rows "
                                   "are in order, as Excel writes them",
                                "lapas XML rinda {number} ir aiz rindas {previous}; radit labo lapas, kuru rindas ir secībā, "
                                "kā tās raksta Excel", *_SAVE_IN_EXCEL),
    "unordered-cells": CodeEntry(E, "the cell comes after {previous} in its row's XML; radit patches rows whose cells are in "
                                    "order, as Excel writes them",
                                 "šūna rindas XML ir aiz {previous}; radit labo rindas, kuru šūnas ir secībā, kā tās raksta Excel",
                                 *_SAVE_IN_EXCEL),
    "file-exists": CodeEntry(E, "the file exists already", "fails jau pastāv", "use --force to replace it",
                             "lietojiet --force, lai to aizstātu"),
    "not-xlsx": CodeEntry(E, "a master workbook is written as .xlsx", "galvenā darbgrāmata tiek rakstīta kā .xlsx"),
    "bad-sample-source": CodeEntry(E, "the sample source is not valid: {problem}", "parauga avots nav derīgs: {problem}"),
}

# --- the model (workbook.model): which table, year and rule file; how rows read ---
MODEL: dict[str, CodeEntry] = {
    "rules-file-not-found": CodeEntry(
        E, "the rule file {name!r} named in the settings cannot be found (looked for: {tried})",
        "iestatījumos norādītais noteikumu fails {name!r} nav atrodams (meklēts: {tried})",
        "put the file next to the workbook, give its full path, or clear the setting to use the default rules",
        "novietojiet failu blakus darbgrāmatai, norādiet pilnu ceļu vai notīriet iestatījumu, lai lietotu noklusētos noteikumus",
    ),
    "no-year-columns": CodeEntry(
        E, "the evaluation year {year} has no “{kind}” column; the headers offer: {offered}",
        "novērtējuma gadam {year} nav kolonnas “{kind_lv}”; virsrakstos ir: {offered_lv}",
        "set the evaluation year in the settings to one of the years the headers name, or add the column",
        "iestatījumos norādiet novērtējuma gadu, kam ir kolonnas, vai pievienojiet kolonnu",
    ),
    "merged-header": CodeEntry(
        E, "the header cells {range} are merged: “{header}” covers the header cells {hidden}, so radit cannot "
           "tell what those columns hold",
        "virsrakstu šūnas {range} ir apvienotas: “{header}” aizsedz virsrakstu šūnas {hidden}, tāpēc radit nevar noteikt, "
        "ko šīs kolonnas satur",
        "unmerge the cells and give each column its own header",
        "atdaliet šūnas un katrai kolonnai ierakstiet savu virsrakstu",
    ),
    "two-indicator-tables": CodeEntry(
        E, "two sheets look like the indicator table: {first} and {second}",
        "divas lapas izskatās pēc rādītāju tabulas: {first} un {second}",
        "name the indicator sheet in the settings ({setting})", "norādiet rādītāju lapu iestatījumos ({setting})",
    ),
    "indicator-sheet-not-found": CodeEntry(
        E, "the settings name the indicator sheet {name!r}, which holds no indicator table",
        "iestatījumos norādītajā rādītāju lapā {name!r} nav rādītāju tabulas",
    ),
    "no-indicator-table": CodeEntry(
        E, "no indicator table: no Excel table with indicator headers and no sheet with a header row naming the indicator id",
        "nav rādītāju tabulas: nav ne Excel tabulas ar rādītāju virsrakstiem, ne lapas ar virsrakstu rindu, kurā ir rādītāja ID",
        "add a header row with at least ID (Rādītāja ID) and Unit (Mērvienība)",
        "pievienojiet virsrakstu rindu ar vismaz “ID” un “Mērvienība”",
    ),
    "rows-below-table": CodeEntry(
        E, "rows {rows} below the Excel table {table} hold data but are not part of the table",
        "rindas {rows} zem Excel tabulas {table} satur datus, bet nav tabulas daļa",
        "extend the table over them (Table Design > Resize Table) or move them into it",
        "paplašiniet tabulu pār tām (Tabulas noformējums > Mainīt tabulas lielumu) vai pārvietojiet tās tabulā",
    ),
    "percent-as-fraction": CodeEntry(
        W, "the {unit} values {values} were read as fractions of one ({percents}): {reason}",
        "vienības {unit} vērtības {values} nolasītas kā daļas no viena ({percents}): {reason_lv}",
        "format the cells as percentages, or type the values with a % sign, so the reading is not a guess",
        "formatējiet šūnas kā procentus vai ierakstiet vērtības ar % zīmi, lai nolasījums nebūtu minējums",
    ),
    "no-output-columns": CodeEntry(
        E, "the indicator table has none of the columns radit writes ({headers})",
        "rādītāju tabulā nav nevienas kolonnas, ko raksta radit ({headers})",
        "add the Assessment column (Vērtējums) to the table", "pievienojiet tabulai kolonnu “Vērtējums”",
    ),
    "missing-value": CodeEntry(
        W, "{field} is empty, so the indicator is not assessed", "{field} nav aizpildīts, tāpēc rādītājs netiek vērtēts",
        "fill in the value, or write the reason in the justification", "aizpildiet vērtību vai ierakstiet iemeslu pamatojumā",
    ),
    "not-a-number": CodeEntry(
        W, "{field} holds a number that is not a number (NaN)", "{field} satur skaitli, kas nav skaitlis (NaN)",
        "type the value again", "ierakstiet vērtību vēlreiz",
    ),
}

register(FINDINGS)
register(READING)
register(WRITING)
register(MODEL)
