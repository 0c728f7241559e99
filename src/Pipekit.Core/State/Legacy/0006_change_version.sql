-- One version number per aggregate, bumped by triggers in the same transaction as every change, whoever
-- makes it (the server, the CLI, another process). A reader that keeps a copy of rows compares one integer
-- instead of reading the rows again. The module aggregate is the module row with its watermarks and hooks;
-- lock and materialised-SQL updates count as changes too, because listings show them.
CREATE TABLE change_version (
    aggregate TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
);
INSERT INTO change_version (aggregate, version) VALUES ('module', 0);

CREATE TRIGGER module_inserted AFTER INSERT ON module
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
CREATE TRIGGER module_updated AFTER UPDATE ON module
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
CREATE TRIGGER module_deleted AFTER DELETE ON module
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;

CREATE TRIGGER watermark_inserted AFTER INSERT ON watermark
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
CREATE TRIGGER watermark_updated AFTER UPDATE ON watermark
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
CREATE TRIGGER watermark_deleted AFTER DELETE ON watermark
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;

CREATE TRIGGER hook_inserted AFTER INSERT ON hook
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
CREATE TRIGGER hook_updated AFTER UPDATE ON hook
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
CREATE TRIGGER hook_deleted AFTER DELETE ON hook
BEGIN UPDATE change_version SET version = version + 1 WHERE aggregate = 'module'; END;
