-- Push in sets plans each call's statements for that call's set (issue 14). PL/pgSQL keeps a statement's plan
-- and, from its sixth execution in a session, may switch to a generic plan made without the set's arrays; for
-- decide_set_rows that plan guesses a handful of decisions and joins the set to its exceptions by a nested loop
-- over every pair: 12.5 million comparisons for a set of 5,000, 2.2 s of the set's 2.8 s. From the sixth set of
-- a push on, each set took four times as long as the first five (measured with auto_explain on a push of
-- 50,000 decisions in sets of 5,000). Planning a handful of statements once per set costs a few milliseconds.
ALTER FUNCTION riskdesk.decide_set_rows(text, riskdesk.decision[]) SET plan_cache_mode = force_custom_plan;
