-- Reserved for another branch's 0005, which lands separately; this empty step only keeps the numbering gap-free on the
-- operate branch until then. Delete this file when the real 0005 is merged.
SELECT 1;
