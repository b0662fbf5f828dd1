-- Which notices each person has read (issue 17): a notice to an organisation is read by each of its
-- people on their own, so the header counts only what this person has not yet seen. Opening the
-- notices page marks what it shows as read; the list keeps showing them, marked so.
CREATE TABLE notice_reads (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    read_at   TEXT NOT NULL CHECK (julianday(read_at) IS NOT NULL),
    PRIMARY KEY (user_id, notice_id)
) STRICT, WITHOUT ROWID;
