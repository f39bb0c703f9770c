// Pyodide under Node.js for the tests: one runtime, many requests (JSON lines in on stdin, JSON lines out on stdout).
//
//   node tests/xl/pyodide/runner.mjs --xlwings DIR
//
// Loads the npm package `pyodide` (the version package.json pins, from node_modules: no CDN), copies the
// xlwings package directory DIR (the venv's, pure Python) into Pyodide's site-packages, imports
// driver.py (next to this file) and xlwings, then prints one line {"ready": true, ...} with the timings.
// Each further stdin line is a request for driver.answer(); each stdout line the answer, in order.
// Python's own prints go to stderr, so stdout carries only the protocol. Any network request is
// refused and recorded (answer to {"kind": "network"}): the run must be offline.
// Exit codes: 0 when stdin closes, 3 when the pyodide package is missing (`npm ci` was not run).
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const network = [];

function option(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Offline: Pyodide fetches packages from a CDN when something asks for one; refuse and record it.
const refuse = async (url) => {
  network.push(String(url && url.url ? url.url : url));
  throw new Error(`network access refused in the test runtime: ${url}`);
};
globalThis.fetch = refuse;

let loadPyodide, pyodidePackage;
try {
  ({ loadPyodide } = await import("pyodide"));
  const { createRequire } = await import("node:module");
  pyodidePackage = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
} catch (error) {
  write({ fatal: "pyodide-missing", message: `the npm package pyodide is not installed (run npm ci): ${error.message}` });
  process.exit(3);
}

const xlwingsDir = option("--xlwings");
if (!xlwingsDir || !fs.existsSync(path.join(xlwingsDir, "__init__.py"))) {
  write({ fatal: "xlwings-missing", message: `--xlwings must name the xlwings package directory, not ${xlwingsDir}` });
  process.exit(2);
}

const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: pyodidePackage + path.sep,
  env: { HOME: "/home/pyodide", XLWINGS_LICENSE_KEY: "noncommercial", XLWINGS_ON_SERVER: "true" },
  stdout: (line) => process.stderr.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
const runtimeSeconds = (performance.now() - t0) / 1000;

// xlwings' package directory as pip installed it, minus bytecode and compiled extensions (CPython's, not
// WebAssembly: xlwingslib is only the calamine engine, which the remote Book does not use).
function copyTree(source, target, counts) {
  pyodide.FS.mkdirTree(target);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = `${target}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__") copyTree(from, to, counts);
    } else if (/\.(so|pyd|dylib|dll)$/.test(entry.name)) {
      counts.skipped.push(entry.name);
    } else {
      pyodide.FS.writeFile(to, fs.readFileSync(from));
      counts.files += 1;
    }
  }
}

const t1 = performance.now();
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
const counts = { files: 0, skipped: [] };
copyTree(xlwingsDir, `${sitePackages}/xlwings`, counts);
pyodide.FS.writeFile(`${sitePackages}/radit_pyodide_driver.py`, fs.readFileSync(path.join(here, "driver.py")));
const copySeconds = (performance.now() - t1) / 1000;

const driver = pyodide.pyimport("radit_pyodide_driver");
let started;
try {
  started = driver.start_xlwings().toJs({ dict_converter: Object.fromEntries });
} catch (error) {
  write({ fatal: "xlwings-import", message: String(error) });
  process.exit(4);
}
write({
  ready: true,
  pyodide: pyodide.version,
  node: process.version,
  xlwings_files: counts.files,
  skipped: counts.skipped,
  timings: { runtime: runtimeSeconds, copy_xlwings: copySeconds, import_xlwings: started.seconds },
  ...started,
});

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  if (JSON.parse(line).kind === "network") {
    write({ network });
    continue;
  }
  try {
    write(JSON.parse(await driver.answer(line)));
  } catch (error) {  // a Pyodide fatal error, not a Python exception (those are answers)
    write({ error: "PyodideError", message: String(error) });
  }
}
process.exit(0);
