-- BOARD-2 (the customer board) reads its first page in rank order from an index instead of building every
-- member's row of the tab (about 58,000 at the demo's scale 50) and sorting them.
--
-- The 60-day spend (D6, and the spend column of D2 and D7) depends on the as-of day, so it cannot be an index
-- over the logs: it is kept per member for a few as-of days of each site (bd_customer_rank_days, chosen by the
-- load, the sync and the demo: the latest business day with logs and the site's business day today). Triggers
-- keep every kept day's rows in step with every write to bd_assistant_service_log, inside the writer's
-- transaction; a day that is not kept is computed from the logs as before. CustomerRankings::verify derives
-- the rows again from the logs.
--
-- Like migration 019, the triggers insert a zero row where none exists and then add, never an upsert: an outer
-- statement's conflict clause would override the trigger's.

CREATE TABLE bd_customer_rank_days (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    as_of TEXT NOT NULL,     -- the as-of business day
    window_from TEXT NOT NULL, -- its 60-day window's first day: as_of - 59 days
    period_from TEXT NOT NULL, -- its default period's first day (the last 30 days): as_of - 29 days
    PRIMARY KEY (tenant_id, site_id, as_of)
) WITHOUT ROWID;

-- Σ ledger_amount_fen of a member's valid logs in the window of a kept as-of day; a member without a valid log in
-- the window has no row (log_count counts them, so the last one leaving removes the row).
CREATE TABLE bd_customer_spend60 (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, as_of TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL,
    spend_fen INTEGER NOT NULL, log_count INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, as_of, tenant_member_id)
) WITHOUT ROWID;
-- The tab's order (spend descending, then member id), so a page is the index's first entries.
CREATE INDEX bd_customer_spend60_rank ON bd_customer_spend60 (tenant_id, site_id, as_of, spend_fen DESC,
                                                             tenant_member_id);

INSERT INTO bd_customer_rank_days (tenant_id, site_id, as_of, window_from, period_from)
SELECT tenant_id, site_id, MAX(biz_date), date(MAX(biz_date), '-59 days'), date(MAX(biz_date), '-29 days')
  FROM bd_assistant_service_log WHERE is_delete = 0
 GROUP BY tenant_id, site_id;

INSERT INTO bd_customer_spend60 (tenant_id, site_id, as_of, tenant_member_id, spend_fen, log_count)
SELECT d.tenant_id, d.site_id, d.as_of, l.tenant_member_id, SUM(l.ledger_amount_fen), COUNT(*)
  FROM bd_customer_rank_days d
  JOIN bd_assistant_service_log l
    ON l.tenant_id = d.tenant_id AND l.site_id = d.site_id AND l.is_delete = 0
   AND l.biz_date BETWEEN d.window_from AND d.as_of
 GROUP BY d.tenant_id, d.site_id, d.as_of, l.tenant_member_id;

-- A valid log comes in: it counts for every kept day whose window holds its business day.
CREATE TRIGGER bd_customer_spend60_insert AFTER INSERT ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_customer_spend60 (tenant_id, site_id, as_of, tenant_member_id, spend_fen, log_count)
    SELECT d.tenant_id, d.site_id, d.as_of, NEW.tenant_member_id, 0, 0 FROM bd_customer_rank_days d
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id
       AND NEW.biz_date BETWEEN d.window_from AND d.as_of
       AND NOT EXISTS (SELECT 1 FROM bd_customer_spend60 s WHERE s.tenant_id = d.tenant_id
                          AND s.site_id = d.site_id AND s.as_of = d.as_of
                          AND s.tenant_member_id = NEW.tenant_member_id);
    UPDATE bd_customer_spend60
       SET spend_fen = spend_fen + NEW.ledger_amount_fen, log_count = log_count + 1
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND tenant_member_id = NEW.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = NEW.tenant_id
                        AND site_id = NEW.site_id AND NEW.biz_date BETWEEN window_from AND as_of);
END;

-- A valid log goes: taken off every kept day that counted it; a member left without a log leaves the ranking.
CREATE TRIGGER bd_customer_spend60_delete AFTER DELETE ON bd_assistant_service_log WHEN OLD.is_delete = 0
BEGIN
    UPDATE bd_customer_spend60
       SET spend_fen = spend_fen - OLD.ledger_amount_fen, log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = OLD.tenant_id
                        AND site_id = OLD.site_id AND OLD.biz_date BETWEEN window_from AND as_of);
    DELETE FROM bd_customer_spend60
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND log_count <= 0;
END;

-- An update is the old row going and the new one coming (two triggers: each side only when it is valid).
CREATE TRIGGER bd_customer_spend60_update_old AFTER UPDATE ON bd_assistant_service_log WHEN OLD.is_delete = 0
BEGIN
    UPDATE bd_customer_spend60
       SET spend_fen = spend_fen - OLD.ledger_amount_fen, log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = OLD.tenant_id
                        AND site_id = OLD.site_id AND OLD.biz_date BETWEEN window_from AND as_of);
    DELETE FROM bd_customer_spend60
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND log_count <= 0;
END;

CREATE TRIGGER bd_customer_spend60_update_new AFTER UPDATE ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_customer_spend60 (tenant_id, site_id, as_of, tenant_member_id, spend_fen, log_count)
    SELECT d.tenant_id, d.site_id, d.as_of, NEW.tenant_member_id, 0, 0 FROM bd_customer_rank_days d
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id
       AND NEW.biz_date BETWEEN d.window_from AND d.as_of
       AND NOT EXISTS (SELECT 1 FROM bd_customer_spend60 s WHERE s.tenant_id = d.tenant_id
                          AND s.site_id = d.site_id AND s.as_of = d.as_of
                          AND s.tenant_member_id = NEW.tenant_member_id);
    UPDATE bd_customer_spend60
       SET spend_fen = spend_fen + NEW.ledger_amount_fen, log_count = log_count + 1
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND tenant_member_id = NEW.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = NEW.tenant_id
                        AND site_id = NEW.site_id AND NEW.biz_date BETWEEN window_from AND as_of);
END;

-- The recent-visit tab (D5) of a kept day: each member's last visit on or before it and the visits of its
-- default period. Any write to a member's visits derives the member's rows again from them (a handful of rows
-- read through the primary key).
CREATE TABLE bd_customer_recent (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, as_of TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL,
    last_in_ms INTEGER NOT NULL, last_biz_date TEXT NOT NULL, period_visits INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, as_of, tenant_member_id)
) WITHOUT ROWID;
CREATE INDEX bd_customer_recent_rank ON bd_customer_recent (tenant_id, site_id, as_of, last_in_ms DESC,
                                                           tenant_member_id, last_biz_date, period_visits);

INSERT INTO bd_customer_recent (tenant_id, site_id, as_of, tenant_member_id, last_in_ms, last_biz_date,
                                period_visits)
SELECT d.tenant_id, d.site_id, d.as_of, v.tenant_member_id, MAX(v.first_in_time), MAX(v.biz_date),
       SUM(CASE WHEN v.biz_date >= d.period_from THEN 1 ELSE 0 END)
  FROM bd_customer_rank_days d
  JOIN bd_member_visit_detail v ON v.tenant_id = d.tenant_id AND v.site_id = d.site_id AND v.biz_date <= d.as_of
 GROUP BY d.tenant_id, d.site_id, d.as_of, v.tenant_member_id;

CREATE TRIGGER bd_customer_recent_insert AFTER INSERT ON bd_member_visit_detail
BEGIN
    DELETE FROM bd_customer_recent
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND tenant_member_id = NEW.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = NEW.tenant_id
                        AND site_id = NEW.site_id AND as_of >= NEW.biz_date);
    INSERT INTO bd_customer_recent (tenant_id, site_id, as_of, tenant_member_id, last_in_ms, last_biz_date,
                                    period_visits)
    SELECT d.tenant_id, d.site_id, d.as_of, v.tenant_member_id, MAX(v.first_in_time), MAX(v.biz_date),
           SUM(CASE WHEN v.biz_date >= d.period_from THEN 1 ELSE 0 END)
      FROM bd_customer_rank_days d
      JOIN bd_member_visit_detail v ON v.tenant_id = d.tenant_id AND v.site_id = d.site_id
       AND v.tenant_member_id = NEW.tenant_member_id AND v.biz_date <= d.as_of
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND d.as_of >= NEW.biz_date
     GROUP BY d.as_of;
END;

CREATE TRIGGER bd_customer_recent_delete AFTER DELETE ON bd_member_visit_detail
BEGIN
    DELETE FROM bd_customer_recent
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = OLD.tenant_id
                        AND site_id = OLD.site_id AND as_of >= OLD.biz_date);
    INSERT INTO bd_customer_recent (tenant_id, site_id, as_of, tenant_member_id, last_in_ms, last_biz_date,
                                    period_visits)
    SELECT d.tenant_id, d.site_id, d.as_of, v.tenant_member_id, MAX(v.first_in_time), MAX(v.biz_date),
           SUM(CASE WHEN v.biz_date >= d.period_from THEN 1 ELSE 0 END)
      FROM bd_customer_rank_days d
      JOIN bd_member_visit_detail v ON v.tenant_id = d.tenant_id AND v.site_id = d.site_id
       AND v.tenant_member_id = OLD.tenant_member_id AND v.biz_date <= d.as_of
     WHERE d.tenant_id = OLD.tenant_id AND d.site_id = OLD.site_id AND d.as_of >= OLD.biz_date
     GROUP BY d.as_of;
END;

-- An update: the old member's rows, then the new member's (the same member twice is harmless).
CREATE TRIGGER bd_customer_recent_update AFTER UPDATE ON bd_member_visit_detail
BEGIN
    DELETE FROM bd_customer_recent
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = OLD.tenant_id
                        AND site_id = OLD.site_id AND as_of >= OLD.biz_date);
    INSERT INTO bd_customer_recent (tenant_id, site_id, as_of, tenant_member_id, last_in_ms, last_biz_date,
                                    period_visits)
    SELECT d.tenant_id, d.site_id, d.as_of, v.tenant_member_id, MAX(v.first_in_time), MAX(v.biz_date),
           SUM(CASE WHEN v.biz_date >= d.period_from THEN 1 ELSE 0 END)
      FROM bd_customer_rank_days d
      JOIN bd_member_visit_detail v ON v.tenant_id = d.tenant_id AND v.site_id = d.site_id
       AND v.tenant_member_id = OLD.tenant_member_id AND v.biz_date <= d.as_of
     WHERE d.tenant_id = OLD.tenant_id AND d.site_id = OLD.site_id AND d.as_of >= OLD.biz_date
     GROUP BY d.as_of;
    DELETE FROM bd_customer_recent
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND tenant_member_id = NEW.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = NEW.tenant_id
                        AND site_id = NEW.site_id AND as_of >= NEW.biz_date);
    INSERT INTO bd_customer_recent (tenant_id, site_id, as_of, tenant_member_id, last_in_ms, last_biz_date,
                                    period_visits)
    SELECT d.tenant_id, d.site_id, d.as_of, v.tenant_member_id, MAX(v.first_in_time), MAX(v.biz_date),
           SUM(CASE WHEN v.biz_date >= d.period_from THEN 1 ELSE 0 END)
      FROM bd_customer_rank_days d
      JOIN bd_member_visit_detail v ON v.tenant_id = d.tenant_id AND v.site_id = d.site_id
       AND v.tenant_member_id = NEW.tenant_member_id AND v.biz_date <= d.as_of
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND d.as_of >= NEW.biz_date
     GROUP BY d.as_of;
END;

-- The balance tab (D3): each member's card accounts at the site added up (the stored-value sum is NULL for a
-- member without a stored-value account, as the tab's SUM gives it). Not per day: balances are current.
CREATE TABLE bd_customer_balance (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, tenant_member_id INTEGER NOT NULL,
    stored_fen INTEGER, gift_fen INTEGER, last_recharge_ms INTEGER,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id)
) WITHOUT ROWID;
CREATE INDEX bd_customer_balance_rank ON bd_customer_balance (tenant_id, site_id, stored_fen DESC,
                                                             tenant_member_id, gift_fen, last_recharge_ms);

INSERT INTO bd_customer_balance (tenant_id, site_id, tenant_member_id, stored_fen, gift_fen, last_recharge_ms)
SELECT tenant_id, site_id, tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END),
       SUM(CASE WHEN card_type = 'gift' THEN balance_fen END), MAX(last_recharge_time)
  FROM bd_dim_member_card_account GROUP BY tenant_id, site_id, tenant_member_id;

CREATE TRIGGER bd_customer_balance_insert AFTER INSERT ON bd_dim_member_card_account
BEGIN
    DELETE FROM bd_customer_balance WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id
       AND tenant_member_id = NEW.tenant_member_id;
    INSERT INTO bd_customer_balance (tenant_id, site_id, tenant_member_id, stored_fen, gift_fen,
                                     last_recharge_ms)
    SELECT tenant_id, site_id, tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END),
           SUM(CASE WHEN card_type = 'gift' THEN balance_fen END), MAX(last_recharge_time)
      FROM bd_dim_member_card_account WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id
       AND tenant_member_id = NEW.tenant_member_id GROUP BY tenant_id, site_id, tenant_member_id;
END;

CREATE TRIGGER bd_customer_balance_delete AFTER DELETE ON bd_dim_member_card_account
BEGIN
    DELETE FROM bd_customer_balance WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id
       AND tenant_member_id = OLD.tenant_member_id;
    INSERT INTO bd_customer_balance (tenant_id, site_id, tenant_member_id, stored_fen, gift_fen,
                                     last_recharge_ms)
    SELECT tenant_id, site_id, tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END),
           SUM(CASE WHEN card_type = 'gift' THEN balance_fen END), MAX(last_recharge_time)
      FROM bd_dim_member_card_account WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id
       AND tenant_member_id = OLD.tenant_member_id GROUP BY tenant_id, site_id, tenant_member_id;
END;

CREATE TRIGGER bd_customer_balance_update AFTER UPDATE ON bd_dim_member_card_account
BEGIN
    DELETE FROM bd_customer_balance WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id
       AND tenant_member_id = OLD.tenant_member_id;
    INSERT INTO bd_customer_balance (tenant_id, site_id, tenant_member_id, stored_fen, gift_fen,
                                     last_recharge_ms)
    SELECT tenant_id, site_id, tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END),
           SUM(CASE WHEN card_type = 'gift' THEN balance_fen END), MAX(last_recharge_time)
      FROM bd_dim_member_card_account WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id
       AND tenant_member_id = OLD.tenant_member_id GROUP BY tenant_id, site_id, tenant_member_id;
    DELETE FROM bd_customer_balance WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id
       AND tenant_member_id = NEW.tenant_member_id;
    INSERT INTO bd_customer_balance (tenant_id, site_id, tenant_member_id, stored_fen, gift_fen,
                                     last_recharge_ms)
    SELECT tenant_id, site_id, tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END),
           SUM(CASE WHEN card_type = 'gift' THEN balance_fen END), MAX(last_recharge_time)
      FROM bd_dim_member_card_account WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id
       AND tenant_member_id = NEW.tenant_member_id GROUP BY tenant_id, site_id, tenant_member_id;
END;

-- The loyalty tab (D8) of every calculation day: each member's coach with the highest RS (ties: the lower coach
-- id), that RS in hundredths as the tab shows it, and the member's number of coaches. A new relation row can
-- only raise the top; when the top row goes, the top is read again from the member's rows of the day.
CREATE TABLE bd_customer_loyalty (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, calc_date TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL,
    top_rs REAL NOT NULL, rs_hundredths INTEGER NOT NULL, coach_id INTEGER NOT NULL,
    coach_count INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, calc_date, tenant_member_id)
) WITHOUT ROWID;
CREATE INDEX bd_customer_loyalty_rank ON bd_customer_loyalty (tenant_id, site_id, calc_date, rs_hundredths DESC,
                                                             tenant_member_id, coach_id, coach_count);

INSERT INTO bd_customer_loyalty (tenant_id, site_id, calc_date, tenant_member_id, top_rs, rs_hundredths,
                                 coach_id, coach_count)
SELECT tenant_id, site_id, calc_date, tenant_member_id, rs_score, CAST(ROUND(rs_score * 100) AS INTEGER),
       site_assistant_id, n
  FROM (SELECT tenant_id, site_id, calc_date, tenant_member_id, rs_score, site_assistant_id,
               ROW_NUMBER() OVER (PARTITION BY tenant_id, site_id, calc_date, tenant_member_id
                                  ORDER BY rs_score DESC, site_assistant_id) AS rn,
               COUNT(*) OVER (PARTITION BY tenant_id, site_id, calc_date, tenant_member_id) AS n
          FROM bd_member_assistant_relation_index)
 WHERE rn = 1;

CREATE TRIGGER bd_customer_loyalty_insert AFTER INSERT ON bd_member_assistant_relation_index
BEGIN
    INSERT INTO bd_customer_loyalty (tenant_id, site_id, calc_date, tenant_member_id, top_rs, rs_hundredths,
                                     coach_id, coach_count)
    SELECT NEW.tenant_id, NEW.site_id, NEW.calc_date, NEW.tenant_member_id, NEW.rs_score,
           CAST(ROUND(NEW.rs_score * 100) AS INTEGER), NEW.site_assistant_id, 0
     WHERE NOT EXISTS (SELECT 1 FROM bd_customer_loyalty WHERE tenant_id = NEW.tenant_id
                          AND site_id = NEW.site_id AND calc_date = NEW.calc_date
                          AND tenant_member_id = NEW.tenant_member_id);
    -- Every right-hand side reads the row as it was before this update.
    UPDATE bd_customer_loyalty
       SET coach_count = coach_count + 1,
           top_rs = CASE WHEN NEW.rs_score > top_rs OR (NEW.rs_score = top_rs AND NEW.site_assistant_id <= coach_id)
                         THEN NEW.rs_score ELSE top_rs END,
           rs_hundredths = CASE WHEN NEW.rs_score > top_rs
                                     OR (NEW.rs_score = top_rs AND NEW.site_assistant_id <= coach_id)
                                THEN CAST(ROUND(NEW.rs_score * 100) AS INTEGER) ELSE rs_hundredths END,
           coach_id = CASE WHEN NEW.rs_score > top_rs OR (NEW.rs_score = top_rs AND NEW.site_assistant_id <= coach_id)
                           THEN NEW.site_assistant_id ELSE coach_id END
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND calc_date = NEW.calc_date
       AND tenant_member_id = NEW.tenant_member_id;
END;

CREATE TRIGGER bd_customer_loyalty_delete AFTER DELETE ON bd_member_assistant_relation_index
BEGIN
    UPDATE bd_customer_loyalty SET coach_count = coach_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND calc_date = OLD.calc_date
       AND tenant_member_id = OLD.tenant_member_id;
    DELETE FROM bd_customer_loyalty
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND calc_date = OLD.calc_date
       AND tenant_member_id = OLD.tenant_member_id AND coach_count <= 0;
    UPDATE bd_customer_loyalty
       SET (top_rs, rs_hundredths, coach_id) =
           (SELECT r.rs_score, CAST(ROUND(r.rs_score * 100) AS INTEGER), r.site_assistant_id
              FROM bd_member_assistant_relation_index r
             WHERE r.tenant_id = OLD.tenant_id AND r.site_id = OLD.site_id AND r.calc_date = OLD.calc_date
               AND r.tenant_member_id = OLD.tenant_member_id
             ORDER BY r.rs_score DESC, r.site_assistant_id LIMIT 1)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND calc_date = OLD.calc_date
       AND tenant_member_id = OLD.tenant_member_id AND coach_id = OLD.site_assistant_id;
END;

-- An update is the old row going and the new one coming.
CREATE TRIGGER bd_customer_loyalty_update AFTER UPDATE ON bd_member_assistant_relation_index
BEGIN
    UPDATE bd_customer_loyalty SET coach_count = coach_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND calc_date = OLD.calc_date
       AND tenant_member_id = OLD.tenant_member_id;
    DELETE FROM bd_customer_loyalty
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND calc_date = OLD.calc_date
       AND tenant_member_id = OLD.tenant_member_id AND coach_count <= 0;
    -- The top of the old member's day, read again without the old row's place (it may now be NEW's).
    UPDATE bd_customer_loyalty
       SET (top_rs, rs_hundredths, coach_id) =
           (SELECT r.rs_score, CAST(ROUND(r.rs_score * 100) AS INTEGER), r.site_assistant_id
              FROM bd_member_assistant_relation_index r
             WHERE r.tenant_id = OLD.tenant_id AND r.site_id = OLD.site_id AND r.calc_date = OLD.calc_date
               AND r.tenant_member_id = OLD.tenant_member_id
               AND NOT (r.tenant_id = NEW.tenant_id AND r.site_id = NEW.site_id AND r.calc_date = NEW.calc_date
                        AND r.tenant_member_id = NEW.tenant_member_id
                        AND r.site_assistant_id = NEW.site_assistant_id)
             ORDER BY r.rs_score DESC, r.site_assistant_id LIMIT 1)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND calc_date = OLD.calc_date
       AND tenant_member_id = OLD.tenant_member_id AND coach_id = OLD.site_assistant_id
       AND EXISTS (SELECT 1 FROM bd_member_assistant_relation_index r
                    WHERE r.tenant_id = OLD.tenant_id AND r.site_id = OLD.site_id AND r.calc_date = OLD.calc_date
                      AND r.tenant_member_id = OLD.tenant_member_id
                      AND NOT (r.tenant_id = NEW.tenant_id AND r.site_id = NEW.site_id
                               AND r.calc_date = NEW.calc_date AND r.tenant_member_id = NEW.tenant_member_id
                               AND r.site_assistant_id = NEW.site_assistant_id));
    INSERT INTO bd_customer_loyalty (tenant_id, site_id, calc_date, tenant_member_id, top_rs, rs_hundredths,
                                     coach_id, coach_count)
    SELECT NEW.tenant_id, NEW.site_id, NEW.calc_date, NEW.tenant_member_id, NEW.rs_score,
           CAST(ROUND(NEW.rs_score * 100) AS INTEGER), NEW.site_assistant_id, 0
     WHERE NOT EXISTS (SELECT 1 FROM bd_customer_loyalty WHERE tenant_id = NEW.tenant_id
                          AND site_id = NEW.site_id AND calc_date = NEW.calc_date
                          AND tenant_member_id = NEW.tenant_member_id);
    UPDATE bd_customer_loyalty
       SET coach_count = coach_count + 1,
           top_rs = CASE WHEN NEW.rs_score > top_rs OR (NEW.rs_score = top_rs AND NEW.site_assistant_id <= coach_id)
                         THEN NEW.rs_score ELSE top_rs END,
           rs_hundredths = CASE WHEN NEW.rs_score > top_rs
                                     OR (NEW.rs_score = top_rs AND NEW.site_assistant_id <= coach_id)
                                THEN CAST(ROUND(NEW.rs_score * 100) AS INTEGER) ELSE rs_hundredths END,
           coach_id = CASE WHEN NEW.rs_score > top_rs OR (NEW.rs_score = top_rs AND NEW.site_assistant_id <= coach_id)
                           THEN NEW.site_assistant_id ELSE coach_id END
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND calc_date = NEW.calc_date
       AND tenant_member_id = NEW.tenant_member_id;
END;

-- The score tabs' ranks as the board computes them (hundredths, rounded), then the member id, with the columns
-- the tab reads: the snapshot's page is the first entries, its count and sums read the index alone.
CREATE INDEX bd_wbi_rank ON bd_member_winback_index
    (tenant_id, site_id, calc_date, CAST(ROUND(wbi * 100) AS INTEGER) DESC, tenant_member_id, wbi,
     days_since_last_visit);
CREATE INDEX bd_spi_rank ON bd_member_spending_power_index
    (tenant_id, site_id, calc_date, CAST(ROUND(spi * 100) AS INTEGER) DESC, tenant_member_id, spi);
CREATE INDEX bd_consumption_rank ON bd_member_consumption_summary
    (tenant_id, site_id, calc_date, visits_60d DESC, tenant_member_id);
