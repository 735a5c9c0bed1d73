-- AIMS decision log in PostgreSQL, version 1 (docs/decision-log-postgres.md).
-- The same DDL PostgresDecisionLog and PostgresCheckpointPublisher run when createSchema is on
-- (the default); run this file with your migration tool instead and turn createSchema off.
-- Rename the tables here and in the builders together if you must.

-- One row per line of each instance's hash chain. `line` is the exact JSON line the file log
-- would write (without its newline) and is what verification reads; the other columns are
-- copies of its envelope for querying. Rows are only ever inserted.
CREATE TABLE IF NOT EXISTS aims_decision_log (
  stream text        NOT NULL,
  seq    bigint      NOT NULL CHECK (seq > 0),
  ts     timestamptz,
  type   text        NOT NULL,
  hash   text        NOT NULL,
  prev   text        NOT NULL,
  line   text        NOT NULL,
  PRIMARY KEY (stream, seq)
);

-- Signed checkpoints published by any AIMS log (file or PostgreSQL), ideally in another database
-- than the log itself: cutting off a log's tail or rewriting it is found by comparing the two.
-- `body` is the checkpoint as FileCheckpointPublisher writes it (canonical JSON).
CREATE TABLE IF NOT EXISTS aims_checkpoints (
  stream      text        NOT NULL,
  seq         bigint      NOT NULL,
  ts          timestamptz NOT NULL,
  count       bigint      NOT NULL,
  from_seq    bigint      NOT NULL,
  to_seq      bigint      NOT NULL,
  head        text        NOT NULL,
  merkle_root text        NOT NULL,
  durability  text        NOT NULL,
  key_id      text,
  signature   text,
  body        text        NOT NULL,
  PRIMARY KEY (stream, seq)
);
