-- Reserved for the sync-as-code branch's 0002, which lands separately; this empty step only keeps the numbering
-- gap-free on the correctness branch until then. Delete this file when the real 0002 is merged.
SELECT 1;
