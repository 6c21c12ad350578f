-- BOARD-2's visits heat map (weekday × hour of the 60-day window's valid service logs, in the site's zone) read
-- every log of the window: about 280,000 rows at S1 of the scale-50 demo, 0.4 s, the customer board's slowest
-- step. It now reads one row per site, business day and quarter hour of creation (UTC), at most 96 a day.
-- Quarter hours, not hours: every zone's offset is a whole number of quarter hours, so a quarter falls in one
-- local hour and day wherever the site is (CustomerVisitHeatmap reads the logs for a zone that is not).
-- Kept by triggers of their own (the summary depends on no other), like migration 022's; a bulk writer that
-- drops them calls ServiceLogSummaries::rebuildTenant, and `riskdesk board verify` compares it with the logs.

CREATE TABLE bd_sl_site_quarter (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL,
    quarter INTEGER NOT NULL, -- create_time / 900,000: quarter hours since 1970-01-01 UTC
    log_count INTEGER NOT NULL CHECK (log_count > 0),
    PRIMARY KEY (tenant_id, site_id, biz_date, quarter)
) WITHOUT ROWID;

INSERT INTO bd_sl_site_quarter (tenant_id, site_id, biz_date, quarter, log_count)
SELECT tenant_id, site_id, biz_date, create_time / 900000, COUNT(*)
  FROM bd_assistant_service_log WHERE is_delete = 0
 GROUP BY tenant_id, site_id, biz_date, create_time / 900000;

CREATE TRIGGER bd_sl_quarter_insert AFTER INSERT ON bd_assistant_service_log WHEN NEW.is_delete = 0
BEGIN
    INSERT INTO bd_sl_site_quarter (tenant_id, site_id, biz_date, quarter, log_count)
    VALUES (NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.create_time / 900000, 1)
    ON CONFLICT (tenant_id, site_id, biz_date, quarter) DO UPDATE SET log_count = log_count + 1;
END;

CREATE TRIGGER bd_sl_quarter_delete AFTER DELETE ON bd_assistant_service_log WHEN OLD.is_delete = 0
BEGIN
    DELETE FROM bd_sl_site_quarter
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND quarter = OLD.create_time / 900000 AND log_count = 1;
    UPDATE bd_sl_site_quarter SET log_count = log_count - 1
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND quarter = OLD.create_time / 900000;
END;

-- An update is the old row leaving and the new one coming (voiding a log is an update of is_delete).
CREATE TRIGGER bd_sl_quarter_update
AFTER UPDATE OF tenant_id, site_id, biz_date, create_time, is_delete ON bd_assistant_service_log
BEGIN
    DELETE FROM bd_sl_site_quarter
     WHERE OLD.is_delete = 0 AND tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND quarter = OLD.create_time / 900000 AND log_count = 1;
    UPDATE bd_sl_site_quarter SET log_count = log_count - 1
     WHERE OLD.is_delete = 0 AND tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND biz_date = OLD.biz_date
       AND quarter = OLD.create_time / 900000;
    INSERT INTO bd_sl_site_quarter (tenant_id, site_id, biz_date, quarter, log_count)
    SELECT NEW.tenant_id, NEW.site_id, NEW.biz_date, NEW.create_time / 900000, 1 WHERE NEW.is_delete = 0
    ON CONFLICT (tenant_id, site_id, biz_date, quarter) DO UPDATE SET log_count = log_count + 1;
END;
