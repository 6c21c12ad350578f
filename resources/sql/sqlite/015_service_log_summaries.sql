-- Summaries of the valid (is_delete = 0) service logs that BOARD-1 reads instead of grouping a month of logs.
-- Triggers keep them in step with every write to bd_assistant_service_log (the CSV load, the sync pull, any
-- statement), inside the writer's own transaction, so the summaries and the logs cannot disagree. A bulk
-- writer may drop the triggers and call ServiceLogSummaries::rebuildTenant in the same transaction instead (the
-- demo does); `riskdesk board verify` derives them again from the logs.

-- Sums per coach and business day: additive, so any range of days adds up its days.
CREATE TABLE bd_sl_coach_day (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL,
    site_assistant_id INTEGER NOT NULL,
    items_fen INTEGER NOT NULL, income_s INTEGER NOT NULL, log_count INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, site_assistant_id)
) WITHOUT ROWID;

-- Distinct customers are not additive: one row per (calendar month of the business day, coach, member) with the
-- member's first business day with that coach in the month. The customers of the month's first N days are the
-- rows whose first day is within them.
CREATE TABLE bd_sl_coach_member_month (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, month TEXT NOT NULL, -- 'YYYY-MM'
    site_assistant_id INTEGER NOT NULL, tenant_member_id INTEGER NOT NULL,
    first_biz_date TEXT NOT NULL,
    PRIMARY KEY (tenant_id, site_id, month, site_assistant_id, tenant_member_id)
) WITHOUT ROWID;
-- The distinct customers of a set of coaches: the month's pairs in member order, so COUNT(DISTINCT) needs no sort.
CREATE INDEX bd_sl_cmm_by_member
    ON bd_sl_coach_member_month (tenant_id, site_id, month, tenant_member_id, first_biz_date, site_assistant_id);

INSERT INTO bd_sl_coach_day (tenant_id, site_id, biz_date, site_assistant_id, items_fen, income_s, log_count)
SELECT tenant_id, site_id, biz_date, site_assistant_id, SUM(ledger_amount_fen), SUM(income_seconds), COUNT(*)
  FROM bd_assistant_service_log WHERE is_delete = 0
 GROUP BY tenant_id, site_id, biz_date, site_assistant_id;

INSERT INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id, tenant_member_id,
                                      first_biz_date)
SELECT tenant_id, site_id, substr(biz_date, 1, 7), site_assistant_id, tenant_member_id, MIN(biz_date)
  FROM bd_assistant_service_log WHERE is_delete = 0
 GROUP BY tenant_id, site_id, substr(biz_date, 1, 7), site_assistant_id, tenant_member_id;

-- A valid log comes in: add it to its day, and make its day the pair's first of the month if it is earlier.
CREATE TRIGGER bd_sl_summary_insert AFTER INSERT ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_sl_coach_day (tenant_id, site_id, biz_date, site_assistant_id, items_fen, income_s, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.site_assistant_id, NEW.ledger_amount_fen,
            NEW.income_seconds, 1)
    ON CONFLICT (tenant_id, site_id, biz_date, site_assistant_id) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1;
    INSERT INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id, tenant_member_id,
                                          first_biz_date)
    VALUES (NEW.tenant_id, NEW.site_id, substr(NEW.biz_date, 1, 7), NEW.site_assistant_id, NEW.tenant_member_id,
            NEW.biz_date)
    ON CONFLICT (tenant_id, site_id, month, site_assistant_id, tenant_member_id) DO UPDATE
       SET first_biz_date = MIN(first_biz_date, excluded.first_biz_date);
END;

-- A valid log goes: take it off its day (a day with no log left goes), and when it was on the pair's first day,
-- derive the first day again from the logs that remain (none: the pair goes).
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
END;

CREATE TRIGGER bd_sl_summary_update_new AFTER UPDATE ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_sl_coach_day (tenant_id, site_id, biz_date, site_assistant_id, items_fen, income_s, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.site_assistant_id, NEW.ledger_amount_fen,
            NEW.income_seconds, 1)
    ON CONFLICT (tenant_id, site_id, biz_date, site_assistant_id) DO UPDATE
       SET items_fen = items_fen + excluded.items_fen, income_s = income_s + excluded.income_s,
           log_count = log_count + 1;
    INSERT INTO bd_sl_coach_member_month (tenant_id, site_id, month, site_assistant_id, tenant_member_id,
                                          first_biz_date)
    VALUES (NEW.tenant_id, NEW.site_id, substr(NEW.biz_date, 1, 7), NEW.site_assistant_id, NEW.tenant_member_id,
            NEW.biz_date)
    ON CONFLICT (tenant_id, site_id, month, site_assistant_id, tenant_member_id) DO UPDATE
       SET first_biz_date = MIN(first_biz_date, excluded.first_biz_date);
END;
