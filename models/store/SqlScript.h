#pragma once

#include "domain/Result.h"

#include <QStringList>

namespace riskdesk {

// Splits a SQL file into statements: at a semicolon that ends a line, except inside a trigger's BEGIN … END.
class SqlScript {
public:
    static QStringList split(const QString& script);
    static Result<QStringList> load(const QString& resourcePath);
};

} // namespace riskdesk
