#pragma once

#include "domain/Result.h"
#include "sync/PgConnection.h"

#include <QString>
#include <memory>

namespace riskdesk::test {

// Test set-up against the real PostgreSQL server: a failure here is the environment's, so it ends the test
// run.
std::unique_ptr<PgConnection> connectOrFail(const QString& url);
PgResult must(Result<PgResult> result);

// Drops a database a test made, once the test's own sessions have closed (a backend may still be exiting a
// moment after its connection was closed). FORCE alone is not enough: it may not end a session of another
// role, and an autovacuum worker busy with the test's tables is one (it failed CI this way), so a plain DROP,
// which stops autovacuum workers itself, is tried too, until timeoutMs has passed. name is an identifier the
// test made, written as in its CREATE DATABASE.
Status dropDatabase(PgConnection& admin, const QString& name, int timeoutMs = 30000);
void mustDropDatabase(PgConnection& admin, const QString& name);

} // namespace riskdesk::test
