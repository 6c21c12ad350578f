#!/bin/sh
# Two rules of the source tree that no compiler enforces:
# - every C++ file is as clang-format (the .clang-format at the root) would write it;
# - nothing under models/ includes a Qt Widgets header: models are values and pure functions, usable with no
#   window (the command line, the tests, a server).
# Usage: source_hygiene.sh SOURCE_DIR
set -u
cd "$1" || exit 2
command -v clang-format >/dev/null || { echo "clang-format is missing (scripts/install-deps installs it)"; exit 1; }
status=0
files=$(find app models ui tests fuzz resources -name '*.cpp' -o -name '*.h' | sort)
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
    echo "FAIL: the files above are not formatted; run clang-format -i on them"
    status=1
fi
widgets=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](QtWidgets|Q(Widget|Application|MainWindow|Dialog|Menu|PushButton|Label|LineEdit|TableView|TreeView|MessageBox|AbstractItemView|StyledItemDelegate|Layout|BoxLayout|VBoxLayout|HBoxLayout|GridLayout|FormLayout|ToolBar|StatusBar|ScrollArea|Splitter|ComboBox|CheckBox|SpinBox|TabWidget|StackedWidget|FileDialog|Style|StyleOption[A-Za-z]*|ProgressBar|Frame))[/>".]' models)
if [ -n "$widgets" ]; then
    echo "$widgets"
    echo "FAIL: models/ must not include Qt Widgets headers (widgets belong in ui/)"
    status=1
fi
[ $status -eq 0 ] && echo "source hygiene: every file formatted, models/ free of Qt Widgets"
exit $status
