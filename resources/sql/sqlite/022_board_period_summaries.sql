-- Two more summaries of the valid (is_delete = 0) service logs, for the boards that read whole periods:
--   bd_sl_site_day      per site and business day: BOARD-3's coach service income (K3) and its coach section
--                       read a month or a year as one row a day instead of every log of the period;
--   bd_sl_coach_month   per coach and calendar month of the business day, with the month's distinct members:
--                       BOARD-1 reads a whole salary month as one row a coach instead of a row a coach and day
--                       plus every (coach, member) pair of the month.
-- The triggers of migration 015 are made again with the new tables' statements in them, so that every write
-- to bd_assistant_service_log (the CSV load, the sync pull, any statement) keeps all four summaries in step
-- inside the writer's own transaction, in a fixed order. A bulk writer that drops the triggers calls
-- ServiceLogSummaries::rebuildTenant, which derives the four again; `riskdesk board verify` compares them all.

-- BOARD-3's coach section sums each month's salary rows per tier (and per month, over the tiers): every column it
-- reads in (month, tier) order, so a year is one range of this index and the table is not visited.
CREATE INDEX bd_salary_by_month_tier ON bd_assistant_salary_calc
    (tenant_id, site_id, salary_month, assistant_level_name, base_income_fen, bonus_income_fen, sprint_bonus_fen,
     gross_salary_fen, base_hours, effective_hours);

CREATE TABLE bd_sl_site_day (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL,
    items_fen INTEGER NOT NULL, income_s INTEGER NOT NULL, log_count INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date)
) WITHOUT ROWID;

-- customers: the rows of bd_sl_coach_member_month of the same month and coach (its distinct members).
CREATE TABLE bd_sl_coach_month (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, month TEXT NOT NULL, -- 'YYYY-MM'
    site_assistant_id INTEGER NOT NULL,
    items_fen INTEGER NOT NULL, income_s INTEGER NOT NULL, log_count INTEGER NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, month, site_assistant_id)
) WITHOUT ROWID;

INSERT INTO bd_sl_site_day (tenant_id, site_id, biz_date, items_fen, income_s, log_count)
SELECT tenant_id, site_id, biz_date, SUM(items_fen), SUM(income_s), SUM(log_count)
  FROM bd_sl_coach_day GROUP BY tenant_id, site_id, biz_date;

INSERT INTO bd_sl_coach_month (tenant_id, site_id, month, site_assistant_id, items_fen, income_s, log_count,
                               customers)
SELECT d.tenant_id, d.site_id, substr(d.biz_date, 1, 7), d.site_assistant_id, SUM(d.items_fen), SUM(d.income_s),
       SUM(d.log_count),
       (SELECT COUNT(*) FROM bd_sl_coach_member_month m
         WHERE m.tenant_id = d.tenant_id AND m.site_id = d.site_id AND m.month = substr(d.biz_date, 1, 7)
           AND m.site_assistant_id = d.site_assistant_id)
  FROM bd_sl_coach_day d GROUP BY d.tenant_id, d.site_id, substr(d.biz_date, 1, 7), d.site_assistant_id;

DROP TRIGGER bd_sl_summary_insert;
DROP TRIGGER bd_sl_summary_delete;
DROP TRIGGER bd_sl_summary_update_old;
DROP TRIGGER bd_sl_summary_update_new;

-- A valid log comes in: add it to its coach's day, its site's day and its coach's month (one more customer when
-- the pair is not in the month yet: checked before the pair goes in), then record the pair.
CREATE TRIGGER bd_sl_summary_insert AFTER INSERT ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_sl_coach_day (tenant_id, site_id, biz_date, site_assistant_id, items_fen, income_s, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.site_assistant_id, NEW.ledger_amount_fen,
            NEW.income_seconds, 1)
    ON CONFLICT (tenant_id, site_id, biz_date, site_assistant_id) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1;
    INSERT INTO bd_sl_site_day (tenant_id, site_id, biz_date, items_fen, income_s, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.ledger_amount_fen, NEW.income_seconds, 1)
    ON CONFLICT (tenant_id, site_id, biz_date) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1;
    INSERT INTO bd_sl_coach_month (tenant_id, site_id, month, site_assistant_id, items_fen, income_s, log_count,
                                   customers)
    VALUES (NEW.tenant_id, NEW.site_id, substr(NEW.biz_date, 1, 7), NEW.site_assistant_id, NEW.ledger_amount_fen,
            NEW.income_seconds, 1,
            NOT EXISTS (SELECT 1 FROM bd_sl_coach_member_month
                         WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id
                           AND month = substr(NEW.biz_date, 1, 7) AND site_assistant_id = NEW.site_assistant_id
                           AND tenant_member_id = NEW.tenant_member_id))
    ON CONFLICT (tenant_id, site_id, month, site_assistant_id) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1, customers = customers + excluded.customers;
    INSERT INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id, tenant_member_id,
                                          first_biz_date)
    VALUES (NEW.tenant_id, NEW.site_id, substr(NEW.biz_date, 1, 7), NEW.site_assistant_id, NEW.tenant_member_id,
            NEW.biz_date)
    ON CONFLICT (tenant_id, site_id, month, site_assistant_id, tenant_member_id) DO UPDATE
       SET first_biz_date = MIN(first_biz_date, excluded.first_biz_date);
END;

-- A valid log goes: take it off its days and its month (a day or month with no log left goes); when it was on
-- the pair's first day, derive the first day again from the logs that remain (none: the pair goes); then count
-- the month's members of the coach again (an update runs this and the insert's twin in either order, so the
-- count is taken from the pairs, not adjusted).
CREATE TRIGGER bd_sl_summary_delete AFTER DELETE ON bd_assistant_service_log WHEN OLD.is_delete = 0
BEGIN
    UPDATE bd_sl_coach_day
       SET items_fen = items_fen - OLD.ledger_amount_fen, income_s = income_s - OLD.income_seconds,
           log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND site_assistant_id = OLD.site_assistant_id;
    DELETE FROM bd_sl_coach_day
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND site_assistant_id = OLD.site_assistant_id AND log_count <= 0;
    UPDATE bd_sl_site_day
       SET items_fen = items_fen - OLD.ledger_amount_fen, income_s = income_s - OLD.income_seconds,
           log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date;
    DELETE FROM bd_sl_site_day
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date AND log_count <= 0;
    DELETE FROM bd_sl_coach_member_month
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND month = substr(OLD.biz_date, 1, 7)
       AND site_assistant_id = OLD.site_assistant_id AND tenant_member_id = OLD.tenant_member_id
       AND first_biz_date = OLD.biz_date;
    INSERT OR IGNORE INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id,
                                                    tenant_member_id, first_biz_date)
    SELECT OLD.tenant_id, OLD.site_id, substr(OLD.biz_date, 1, 7), OLD.site_assistant_id, OLD.tenant_member_id,
           first FROM (SELECT MIN(biz_date) AS first FROM bd_assistant_service_log
                        WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id
                          AND tenant_member_id = OLD.tenant_member_id
                          AND biz_date >= substr(OLD.biz_date, 1, 7) || '-01'
                          AND biz_date <= substr(OLD.biz_date, 1, 7) || '-31'
                          AND site_assistant_id = OLD.site_assistant_id AND is_delete = 0)
     WHERE first IS NOT NULL;
    UPDATE bd_sl_coach_month
       SET items_fen = items_fen - OLD.ledger_amount_fen, income_s = income_s - OLD.income_seconds,
           log_count = log_count - 1,
           customers = (SELECT COUNT(*) FROM bd_sl_coach_member_month m
                         WHERE m.tenant_id = OLD.tenant_id AND m.site_id = OLD.site_id
                           AND m.month = substr(OLD.biz_date, 1, 7) AND m.site_assistant_id = OLD.site_assistant_id)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND month = substr(OLD.biz_date, 1, 7)
       AND site_assistant_id = OLD.site_assistant_id;
    DELETE FROM bd_sl_coach_month
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND month = substr(OLD.biz_date, 1, 7)
       AND site_assistant_id = OLD.site_assistant_id AND log_count <= 0;
END;

-- An update is the old row going and the new one coming (two triggers: each side only when it is valid).
CREATE TRIGGER bd_sl_summary_update_old AFTER UPDATE ON bd_assistant_service_log WHEN OLD.is_delete = 0
BEGIN
    UPDATE bd_sl_coach_day
       SET items_fen = items_fen - OLD.ledger_amount_fen, income_s = income_s - OLD.income_seconds,
           log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND site_assistant_id = OLD.site_assistant_id;
    DELETE FROM bd_sl_coach_day
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND site_assistant_id = OLD.site_assistant_id AND log_count <= 0;
    UPDATE bd_sl_site_day
       SET items_fen = items_fen - OLD.ledger_amount_fen, income_s = income_s - OLD.income_seconds,
           log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date;
    DELETE FROM bd_sl_site_day
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date AND log_count <= 0;
    DELETE FROM bd_sl_coach_member_month
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND month = substr(OLD.biz_date, 1, 7)
       AND site_assistant_id = OLD.site_assistant_id AND tenant_member_id = OLD.tenant_member_id
       AND first_biz_date = OLD.biz_date;
    INSERT OR IGNORE INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id,
                                                    tenant_member_id, first_biz_date)
    SELECT OLD.tenant_id, OLD.site_id, substr(OLD.biz_date, 1, 7), OLD.site_assistant_id, OLD.tenant_member_id,
           first FROM (SELECT MIN(biz_date) AS first FROM bd_assistant_service_log
                        WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id
                          AND tenant_member_id = OLD.tenant_member_id
                          AND biz_date >= substr(OLD.biz_date, 1, 7) || '-01'
                          AND biz_date <= substr(OLD.biz_date, 1, 7) || '-31'
                          AND site_assistant_id = OLD.site_assistant_id AND is_delete = 0)
     WHERE first IS NOT NULL;
    UPDATE bd_sl_coach_month
       SET items_fen = items_fen - OLD.ledger_amount_fen, income_s = income_s - OLD.income_seconds,
           log_count = log_count - 1,
           customers = (SELECT COUNT(*) FROM bd_sl_coach_member_month m
                         WHERE m.tenant_id = OLD.tenant_id AND m.site_id = OLD.site_id
                           AND m.month = substr(OLD.biz_date, 1, 7) AND m.site_assistant_id = OLD.site_assistant_id)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND month = substr(OLD.biz_date, 1, 7)
       AND site_assistant_id = OLD.site_assistant_id;
    DELETE FROM bd_sl_coach_month
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND month = substr(OLD.biz_date, 1, 7)
       AND site_assistant_id = OLD.site_assistant_id AND log_count <= 0;
END;

-- The new side of an update: as an insert, but the month's members are counted from the pairs (the old side
-- may run before or after this one).
CREATE TRIGGER bd_sl_summary_update_new AFTER UPDATE ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_sl_coach_day (tenant_id, site_id, biz_date, site_assistant_id, items_fen, income_s, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.site_assistant_id, NEW.ledger_amount_fen,
            NEW.income_seconds, 1)
    ON CONFLICT (tenant_id, site_id, biz_date, site_assistant_id) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1;
    INSERT INTO bd_sl_site_day (tenant_id, site_id, biz_date, items_fen, income_s, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.ledger_amount_fen, NEW.income_seconds, 1)
    ON CONFLICT (tenant_id, site_id, biz_date) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1;
    INSERT INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id, tenant_member_id,
                                          first_biz_date)
    VALUES (NEW.tenant_id, NEW.site_id, substr(NEW.biz_date, 1, 7), NEW.site_assistant_id, NEW.tenant_member_id,
            NEW.biz_date)
    ON CONFLICT (tenant_id, site_id, month, site_assistant_id, tenant_member_id) DO UPDATE
       SET first_biz_date = MIN(first_biz_date, excluded.first_biz_date);
    INSERT INTO bd_sl_coach_month (tenant_id, site_id, month, site_assistant_id, items_fen, income_s, log_count,
                                   customers)
    VALUES (NEW.tenant_id, NEW.site_id, substr(NEW.biz_date, 1, 7), NEW.site_assistant_id, NEW.ledger_amount_fen,
            NEW.income_seconds, 1,
            (SELECT COUNT(*) FROM bd_sl_coach_member_month m
              WHERE m.tenant_id = NEW.tenant_id AND m.site_id = NEW.site_id
                AND m.month = substr(NEW.biz_date, 1, 7) AND m.site_assistant_id = NEW.site_assistant_id))
    ON CONFLICT (tenant_id, site_id, month, site_assistant_id) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1, customers = excluded.customers;
END;
