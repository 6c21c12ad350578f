#!/bin/sh
# Two rules of the source tree that no compiler enforces:
# - every C++ file is as clang-format (the .clang-format at the root) would write it;
# - nothing under models/ includes a Qt Widgets header: models are values and pure functions, usable with no
#   window (the command line, the tests, a server);
# - nothing under models/ but models/settings/ (AppSettings and the SettingsFile that writes for it) mentions
#   QSettings: settings are read only through an AppSettings handed in from app/, never from a global QSettings
#   (which a test cannot redirect, and which writes on the caller's thread).
# Usage: source_hygiene.sh SOURCE_DIR [QTWIDGETS_INCLUDE_DIR]
# With the QtWidgets include folder, every header in it counts (QTreeWidget, qheaderview.h, …), not only
# those the list below names.
set -u
cd "$1" || exit 2
widgets_dir="${2:-}"
command -v clang-format >/dev/null || { echo "clang-format is missing (scripts/install-deps installs it)"; exit 1; }
status=0
files=$(find app models ui tests fuzz resources -name '*.cpp' -o -name '*.h' | sort)
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
    echo "FAIL: the files above are not formatted; run clang-format -i on them"
    status=1
fi
widgets=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](QtWidgets|Q(Widget|Application|MainWindow|Dialog|Menu|PushButton|Label|LineEdit|TableView|TreeView|MessageBox|AbstractItemView|StyledItemDelegate|Layout|BoxLayout|VBoxLayout|HBoxLayout|GridLayout|FormLayout|ToolBar|StatusBar|ScrollArea|Splitter|ComboBox|CheckBox|SpinBox|TabWidget|StackedWidget|FileDialog|Style|StyleOption[A-Za-z]*|ProgressBar|Frame))[/>".]' models)
if [ -n "$widgets_dir" ]; then
    [ -d "$widgets_dir" ] || { echo "FAIL: no Qt Widgets headers at $widgets_dir"; exit 1; }
    # Each include under models/ whose name (without a QtWidgets/ prefix) is a file of that folder.
    more=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' models |
        awk -v names="$(ls "$widgets_dir" | tr '\n' ' ')" '
            BEGIN { n = split(names, list, " "); for (i = 1; i <= n; ++i) header[list[i]] = 1 }
            {
                name = $0; sub(/^[^<"]*#[[:space:]]*include[[:space:]]*[<"]/, "", name); sub(/[>"].*$/, "", name)
                sub(/^QtWidgets\//, "", name)
                if (name == "QtWidgets" || name in header) print
            }')
    widgets=$(printf '%s\n%s\n' "$widgets" "$more" | sed '/^$/d' | sort -u)
fi
if [ -n "$widgets" ]; then
    echo "$widgets"
    echo "FAIL: models/ must not include Qt Widgets headers (widgets belong in ui/)"
    status=1
fi
settings=$(grep -rn 'QSettings' models | grep -v '^models/settings/\(AppSettings\|SettingsFile\)\.\(h\|cpp\):')
if [ -n "$settings" ]; then
    echo "$settings"
    echo "FAIL: models/ reads settings only through the AppSettings it is given (models/settings/AppSettings)"
    status=1
fi
[ $status -eq 0 ] && echo "source hygiene: every file formatted, models/ free of Qt Widgets and of QSettings"
exit $status
