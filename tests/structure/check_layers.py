#!/usr/bin/python3
"""The layer rule on the sources (docs/ARCHITECTURE.md): each layer includes only itself and the
layers below it, and only the Qt modules it may link.

    models/        rbac_models    Qt Core, Sql
    app/services/  rbac_services  + models/, Qt Network, QtKeychain
    app/cli/       rbac_cli       + services/
    ui/            rbac_gui       + services/, Qt Gui, Widgets, Charts, DBus; never Sql or Network
    app/*.cpp      the two mains  anything

The build already enforces the quoted includes (a lower layer has no include path into a higher
one); this check also catches Qt headers, which every layer could reach through Qt's own include
paths. Usage: check_layers.py SOURCE_DIR [QT_INCLUDE_DIR]. Exit 1 naming each offending line.
"""
import os
import re
import sys

src = os.path.abspath(sys.argv[1])
qt_include = sys.argv[2] if len(sys.argv) > 2 else "/usr/include/x86_64-linux-gnu/qt6"

LAYERS = [  # (folder, include roots it may use, Qt modules it may use)
    ("models", ["models"], {"QtCore", "QtSql"}),
    ("app/services", ["app/services", "models"], {"QtCore", "QtSql", "QtNetwork", "qt6keychain"}),
    ("app/cli", ["app/cli", "app/services", "models"], {"QtCore", "QtSql", "QtNetwork"}),
    ("ui", ["ui", "app/services", "models"], {"QtCore", "QtGui", "QtWidgets", "QtCharts", "QtDBus"}),
]

# Which Qt module ships each header: <QFoo> or <QtModule/QFoo>; QtKeychain as <qt6keychain/…>.
module_of = {}
qt_modules = {"qt6keychain", "qtkeychain"}
for module in os.listdir(qt_include) if os.path.isdir(qt_include) else []:
    path = os.path.join(qt_include, module)
    if os.path.isdir(path):
        qt_modules.add(module)
        for header in os.listdir(path):
            module_of.setdefault(header, module)
if not module_of:
    sys.exit(f"no Qt headers under {qt_include}")

include_re = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
problems = []
checked = 0
for folder, roots, modules in LAYERS:
    for dirpath, _, files in os.walk(os.path.join(src, folder)):
        for name in sorted(files):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src)
            checked += 1
            for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
                m = include_re.match(line)
                if not m:
                    continue
                kind, target = m.groups()
                where = f"{rel}:{lineno}: {line.strip()}"
                if kind == '"':
                    if target.endswith(".moc") or os.path.exists(os.path.join(dirpath, target)):
                        continue
                    found = [r for r in roots if os.path.exists(os.path.join(src, r, target))]
                    if not found:
                        above = [r for r in ("app/cli", "ui", "app/services", "models")
                                 if os.path.exists(os.path.join(src, r, target))]
                        reason = (f"from {above[0]}/, a layer {folder}/ may not use" if above
                                  else "not found under the layers it may use")
                        problems.append(f"{where}  <- {reason}")
                    continue
                first = target.split("/")[0]
                module = (first if first in qt_modules else None) if "/" in target else module_of.get(target)
                if module is None:
                    continue  # the C++ or C library
                if module not in modules:
                    problems.append(f"{where}  <- {module} is not a dependency of {folder}/")

for p in problems:
    print(p)
print(f"checked {checked} files; {len(problems)} include(s) break the layer rule")
sys.exit(1 if problems else 0)
