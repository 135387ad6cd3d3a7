"""The database schema as code: one SQL script per version (PRAGMA user_version).

`Store.migrate` runs, in order, every script a file has not seen; a new table or
column is a new entry at the end, never an edit of an old one.
"""

from __future__ import annotations

# Each entry brings a database from version i to i + 1 (PRAGMA user_version).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        published TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        sentence_count INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        added_by TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX articles_hash ON articles(text_hash);
    CREATE INDEX articles_url ON articles(url) WHERE url != '';
    CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        heading INTEGER NOT NULL DEFAULT 0,
        UNIQUE (article_id, position)
    );
    CREATE TABLE query_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        frontend TEXT NOT NULL,
        guild_id TEXT,
        channel_id TEXT,
        user_id TEXT,
        command TEXT NOT NULL,
        query TEXT NOT NULL DEFAULT '',
        result_count INTEGER NOT NULL DEFAULT 0,
        latency_ms REAL NOT NULL DEFAULT 0,
        result_ids TEXT NOT NULL DEFAULT '[]',
        ok INTEGER NOT NULL DEFAULT 1,
        error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX query_log_at ON query_log(at);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        article_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE vocabulary (
        word TEXT PRIMARY KEY,
        count INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    """
    CREATE TABLE statements (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
        speaker TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        aliases TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT NOT NULL DEFAULT '',
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        passage_start INTEGER NOT NULL,
        passage_end INTEGER NOT NULL
    );
    CREATE INDEX statements_article ON statements(article_id);
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
        agent TEXT NOT NULL,
        agent_key TEXT NOT NULL,
        verb TEXT NOT NULL,
        keys TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        passive INTEGER NOT NULL DEFAULT 0,
        passage_start INTEGER NOT NULL,
        passage_end INTEGER NOT NULL
    );
    CREATE INDEX actions_article ON actions(article_id);
    CREATE TABLE action_keys (
        key TEXT NOT NULL,
        action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
        PRIMARY KEY (key, action_id)
    ) WITHOUT ROWID;
    CREATE INDEX action_keys_action ON action_keys(action_id);
    """,
    """
    CREATE TABLE page_turns (
        id INTEGER PRIMARY KEY,
        query_id INTEGER NOT NULL REFERENCES query_log(id) ON DELETE CASCADE,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        page INTEGER NOT NULL
    );
    CREATE INDEX page_turns_query ON page_turns(query_id);
    """,
    """
    ALTER TABLE actions ADD COLUMN kind TEXT NOT NULL DEFAULT 'verb';
    ALTER TABLE actions ADD COLUMN target_names TEXT NOT NULL DEFAULT '[]';
    """,
    """
    CREATE INDEX statements_speaker ON statements(speaker);
    """,
    """
    ALTER TABLE actions ADD COLUMN mention TEXT NOT NULL DEFAULT '';
    """,
    # `!who` reads thousands of actions under one key: the fields it ranks on live
    # beside the key (clustered by key), so one range scan answers without a lookup
    # per action. `words` is the action, target and target names, for object words.
    """
    ALTER TABLE action_keys ADD COLUMN article_id INTEGER;
    ALTER TABLE action_keys ADD COLUMN sentence_id INTEGER;
    ALTER TABLE action_keys ADD COLUMN agent TEXT NOT NULL DEFAULT '';
    ALTER TABLE action_keys ADD COLUMN agent_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE action_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'verb';
    ALTER TABLE action_keys ADD COLUMN passage_start INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE action_keys ADD COLUMN mention TEXT NOT NULL DEFAULT '';
    ALTER TABLE action_keys ADD COLUMN words TEXT NOT NULL DEFAULT '';
    UPDATE action_keys SET article_id = a.article_id, sentence_id = a.sentence_id, agent = a.agent,
        agent_key = a.agent_key, kind = a.kind, passage_start = a.passage_start, mention = a.mention,
        words = a.action || ' ' || a.target || ' ' || a.target_names
        FROM actions AS a WHERE a.id = action_keys.action_id;
    """,
    # Story versions: a re-added story replaces its article row (same id and key, version
    # + 1); each earlier text is kept here, out of every answer.
    """
    ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX articles_title ON articles(title COLLATE NOCASE);
    CREATE TABLE article_versions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        published TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL DEFAULT '',
        replaced_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        replaced_by TEXT NOT NULL DEFAULT '',
        UNIQUE (article_id, version)
    );
    """,
    # Moderators' corrections of extracted statements and agents. They are keyed by the
    # article's key and the statement's words, not by row ids, so they survive !reindex
    # and a new version of the story. article_key '' applies everywhere.
    """
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        article_key TEXT NOT NULL DEFAULT '',
        anchor TEXT NOT NULL,
        value TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX corrections_article ON corrections(article_key);
    CREATE TABLE flags (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        query_id INTEGER NOT NULL REFERENCES query_log(id) ON DELETE CASCADE,
        actor TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        UNIQUE (query_id, actor)
    );
    """,
    # The same-story lookup compares lower(title), which both backends index alike.
    """
    DROP INDEX articles_title;
    CREATE INDEX articles_title ON articles(lower(title));
    """,
    # `!who` ranks agents on counts: each agent's rows, passages, articles and clause
    # evidence under each key, kept here as articles come and go (Store._count_who), so
    # a common verb ("said") is answered from a few thousand of these rows instead of
    # every action. `alone` is the article of an agent known only as an unresolved
    # pronoun ("he" in one article is not "he" in another); 0 otherwise. The agent index
    # covers what an agent's evidence is read and counted by, so that needs no lookups.
    """
    CREATE TABLE who_agents (
        key TEXT NOT NULL,
        agent_key TEXT NOT NULL,
        agent TEXT NOT NULL,
        alone INTEGER NOT NULL,
        n_rows INTEGER NOT NULL,
        passages INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        clause_passages INTEGER NOT NULL,
        clause_articles INTEGER NOT NULL,
        weak INTEGER NOT NULL,
        first_action INTEGER NOT NULL,
        PRIMARY KEY (key, agent_key, agent, alone)
    ) WITHOUT ROWID;
    CREATE INDEX action_keys_article ON action_keys(article_id);
    CREATE INDEX action_keys_agent ON action_keys(key, agent_key, article_id, passage_start, kind, agent,
        mention, sentence_id);
    INSERT INTO who_agents SELECT key, agent_key, agent,
        CASE WHEN mention <> '' AND mention = agent THEN article_id ELSE 0 END,
        count(*), count(DISTINCT article_id * 100000000 + passage_start), count(DISTINCT article_id),
        count(DISTINCT CASE WHEN kind <> 'nominal' AND agent <> 'not stated'
                            THEN article_id * 100000000 + passage_start END),
        count(DISTINCT CASE WHEN kind <> 'nominal' AND agent <> 'not stated' THEN article_id END),
        sum(CASE WHEN kind = 'nominal' OR agent = 'not stated' THEN 1 ELSE 0 END),
        min(action_id)
        FROM action_keys WHERE sentence_id IS NOT NULL
        GROUP BY key, agent_key, agent, CASE WHEN mention <> '' AND mention = agent THEN article_id ELSE 0 END;
    """,
    # The people registry (index.storage.registry): each statement's speaker as its article
    # settled it is a form (name, kind, gender, a moderator's pin), counted here; forms are
    # linked into identities (people) block by block at every write; person_words are the
    # words an identity is asked for by. Statements stored before this version get their
    # forms from their speaker names when the store opens (Service.open).
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        block TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        gender TEXT NOT NULL DEFAULT '',
        names TEXT NOT NULL DEFAULT '[]',
        statements INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX people_block ON people(block);
    CREATE INDEX people_name ON people(lower(name));
    CREATE INDEX people_ranked ON people(statements DESC);
    CREATE TABLE person_words (
        word TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (word, person_id)
    ) WITHOUT ROWID;
    CREATE INDEX person_words_person ON person_words(person_id);
    CREATE TABLE name_forms (
        id INTEGER PRIMARY KEY,
        block TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        gender TEXT NOT NULL DEFAULT '',
        pin TEXT NOT NULL DEFAULT '',
        statements INTEGER NOT NULL DEFAULT 0,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        UNIQUE (name, kind, gender, pin)
    );
    CREATE INDEX name_forms_block ON name_forms(block);
    CREATE INDEX name_forms_person ON name_forms(person_id);
    CREATE INDEX name_forms_name ON name_forms(lower(name));
    ALTER TABLE statements ADD COLUMN form_id INTEGER REFERENCES name_forms(id);
    ALTER TABLE statements ADD COLUMN mention TEXT NOT NULL DEFAULT '';
    CREATE INDEX statements_form ON statements(form_id, article_id);
    """,
    # Each action's factuality (index.who.factuality: asserted, negated, hypothetical,
    # future, requested, attempted, question), its teller when it is reported speech, and
    # what kind of doer its agent is (person, body, thing). who_agents counts asserted
    # actions only, which every stored row was before this version; the agent index leads
    # with the factuality, so the asserted rows of a key read as one range.
    """
    ALTER TABLE actions ADD COLUMN factuality TEXT NOT NULL DEFAULT 'asserted';
    ALTER TABLE actions ADD COLUMN source TEXT NOT NULL DEFAULT '';
    ALTER TABLE actions ADD COLUMN agent_class TEXT NOT NULL DEFAULT '';
    ALTER TABLE action_keys ADD COLUMN factuality TEXT NOT NULL DEFAULT 'asserted';
    DROP INDEX action_keys_agent;
    CREATE INDEX action_keys_agent ON action_keys(key, factuality, agent_key, article_id, passage_start, kind,
        agent, mention, sentence_id);
    """,
    # Feeds a moderator follows (index.feeds): each belongs to a workspace; a poll takes the
    # feed's lease first, so one process polls it at a time. feed_entries remembers what each
    # entry looked like when last seen (its fingerprint) and the article it became;
    # feed_polls is the audit of every poll: its counts and each failure's reason.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        workspace TEXT NOT NULL DEFAULT 'default',
        url TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        added_by TEXT NOT NULL DEFAULT '',
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        polled_at REAL NOT NULL DEFAULT 0,
        next_poll REAL NOT NULL DEFAULT 0,
        lease_owner TEXT NOT NULL DEFAULT '',
        lease_until REAL NOT NULL DEFAULT 0,
        UNIQUE (workspace, url)
    );
    CREATE TABLE feed_entries (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,
        workspace TEXT NOT NULL DEFAULT 'default',
        link TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL,
        article_id INTEGER,
        seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (feed_id, entry_key)
    );
    CREATE TABLE feed_polls (
        id INTEGER PRIMARY KEY,
        workspace TEXT NOT NULL DEFAULT 'default',
        feed_id INTEGER NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        poller TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        reasons TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX feed_polls_feed ON feed_polls(feed_id, id);
    """,
    # Watches (index.watches): a channel's request to hear of new coverage quoting a person or
    # printing a phrase; checked_through is the newest article already looked at. watch_alerts
    # holds one row per watch and article, recorded before the post, so each goes out once.
    """
    CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        workspace TEXT NOT NULL DEFAULT 'default',
        guild_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        created_by TEXT NOT NULL DEFAULT '',
        checked_through INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX watches_guild ON watches(workspace, guild_id);
    CREATE TABLE watch_alerts (
        watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL,
        workspace TEXT NOT NULL DEFAULT 'default',
        sentence_id INTEGER NOT NULL DEFAULT 0,
        statement_id INTEGER,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        posted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (watch_id, article_id)
    );
    """,
    # Workspaces (issue 21): every row that holds a newsroom's coverage carries the workspace
    # it belongs to, and every query of the store filters on it (Store.workspace). Rows
    # stored before are the `default` workspace's. Keys, words, counts and names are unique
    # per workspace, so those tables are rebuilt with the workspace in their keys
    # (Store.migrate turns foreign keys off while it runs, as a rebuild needs).
    """
    CREATE TABLE articles_new (
        id INTEGER PRIMARY KEY,
        workspace TEXT NOT NULL DEFAULT 'default',
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        published TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        sentence_count INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        added_by TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (workspace, key)
    );
    INSERT INTO articles_new (id, workspace, key, title, outlet, author, url, published, text, text_hash,
        sentence_count, added_at, added_by, version)
        SELECT id, 'default', key, title, outlet, author, url, published, text, text_hash,
        sentence_count, added_at, added_by, version FROM articles;
    DROP TABLE articles;
    ALTER TABLE articles_new RENAME TO articles;
    CREATE INDEX articles_hash ON articles(workspace, text_hash);
    CREATE INDEX articles_url ON articles(workspace, url) WHERE url != '';
    CREATE INDEX articles_title ON articles(workspace, lower(title));
    CREATE INDEX articles_workspace ON articles(workspace, id);
    ALTER TABLE sentences ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX sentences_workspace ON sentences(workspace, article_id);
    ALTER TABLE statements ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX statements_workspace ON statements(workspace, article_id);
    ALTER TABLE actions ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX actions_workspace ON actions(workspace, article_id);
    ALTER TABLE action_keys ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    DROP INDEX action_keys_agent;
    CREATE INDEX action_keys_agent ON action_keys(workspace, key, factuality, agent_key, article_id, passage_start, kind,
        agent, mention, sentence_id);
    CREATE INDEX action_keys_workspace ON action_keys(workspace, article_id);
    ALTER TABLE query_log ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX query_log_workspace ON query_log(workspace, at);
    ALTER TABLE page_turns ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX page_turns_workspace ON page_turns(workspace, query_id);
    ALTER TABLE audit ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX audit_workspace ON audit(workspace, action);
    ALTER TABLE article_versions ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX article_versions_workspace ON article_versions(workspace, article_id);
    ALTER TABLE corrections ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX corrections_workspace ON corrections(workspace, article_key);
    ALTER TABLE flags ADD COLUMN workspace TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX flags_workspace ON flags(workspace, query_id);
    CREATE TABLE vocabulary_new (
        workspace TEXT NOT NULL DEFAULT 'default',
        word TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (workspace, word)
    ) WITHOUT ROWID;
    INSERT INTO vocabulary_new SELECT 'default', word, count FROM vocabulary;
    DROP TABLE vocabulary;
    ALTER TABLE vocabulary_new RENAME TO vocabulary;
    CREATE TABLE who_agents_new (
        workspace TEXT NOT NULL DEFAULT 'default',
        key TEXT NOT NULL,
        agent_key TEXT NOT NULL,
        agent TEXT NOT NULL,
        alone INTEGER NOT NULL,
        n_rows INTEGER NOT NULL,
        passages INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        clause_passages INTEGER NOT NULL,
        clause_articles INTEGER NOT NULL,
        weak INTEGER NOT NULL,
        first_action INTEGER NOT NULL,
        PRIMARY KEY (workspace, key, agent_key, agent, alone)
    ) WITHOUT ROWID;
    INSERT INTO who_agents_new SELECT 'default', key, agent_key, agent, alone, n_rows, passages, articles,
        clause_passages, clause_articles, weak, first_action FROM who_agents;
    DROP TABLE who_agents;
    ALTER TABLE who_agents_new RENAME TO who_agents;
    CREATE TABLE people_new (
        id INTEGER PRIMARY KEY,
        workspace TEXT NOT NULL DEFAULT 'default',
        key TEXT NOT NULL,
        block TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        gender TEXT NOT NULL DEFAULT '',
        names TEXT NOT NULL DEFAULT '[]',
        statements INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0,
        UNIQUE (workspace, key)
    );
    INSERT INTO people_new SELECT id, 'default', key, block, name, kind, gender, names, statements, articles
        FROM people;
    DROP TABLE people;
    ALTER TABLE people_new RENAME TO people;
    CREATE INDEX people_block ON people(workspace, block);
    CREATE INDEX people_name ON people(workspace, lower(name));
    CREATE INDEX people_ranked ON people(workspace, statements DESC);
    CREATE TABLE person_words_new (
        workspace TEXT NOT NULL DEFAULT 'default',
        word TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (workspace, word, person_id)
    ) WITHOUT ROWID;
    INSERT INTO person_words_new SELECT 'default', word, person_id FROM person_words;
    DROP TABLE person_words;
    ALTER TABLE person_words_new RENAME TO person_words;
    CREATE INDEX person_words_person ON person_words(person_id);
    CREATE TABLE name_forms_new (
        id INTEGER PRIMARY KEY,
        workspace TEXT NOT NULL DEFAULT 'default',
        block TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        gender TEXT NOT NULL DEFAULT '',
        pin TEXT NOT NULL DEFAULT '',
        statements INTEGER NOT NULL DEFAULT 0,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        UNIQUE (workspace, name, kind, gender, pin)
    );
    INSERT INTO name_forms_new SELECT id, 'default', block, name, kind, gender, pin, statements, person_id
        FROM name_forms;
    DROP TABLE name_forms;
    ALTER TABLE name_forms_new RENAME TO name_forms;
    CREATE INDEX name_forms_block ON name_forms(workspace, block);
    CREATE INDEX name_forms_person ON name_forms(person_id);
    CREATE INDEX name_forms_name ON name_forms(workspace, lower(name));
    """,
    # The feed and watch tables under the workspace guard too: each gets an index led by its
    # workspace, as every other table of a newsroom's rows has.
    """
    CREATE INDEX feed_entries_workspace ON feed_entries(workspace, feed_id);
    CREATE INDEX feed_polls_workspace ON feed_polls(workspace, feed_id, id);
    CREATE INDEX watch_alerts_workspace ON watch_alerts(workspace, watch_id, posted);
    """,
    # `!quotes`' newest page picks its articles by date from an index, without reading
    # article rows; a form counts its statements as `!quotes` lists them (a repeated
    # paragraph once), so a cut listing's "of N" is the registry's count.
    """
    CREATE INDEX articles_dated ON articles(workspace, id, published);
    UPDATE name_forms SET statements = (SELECT count(*) FROM (SELECT DISTINCT st.article_id, st.kind, st.text
        FROM statements st WHERE st.workspace = name_forms.workspace AND st.form_id = name_forms.id) AS said);
    UPDATE people SET statements = (SELECT coalesce(sum(f.statements), 0) FROM name_forms f
        WHERE f.workspace = people.workspace AND f.person_id = people.id);
    """,
    # action_keys is clustered on its primary key (WITHOUT ROWID): led by the workspace, a
    # newsroom's `!who` reads only its own rows of a verb, not every newsroom's.
    """
    CREATE TABLE action_keys_new (
        workspace TEXT NOT NULL DEFAULT 'default',
        key TEXT NOT NULL,
        action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
        article_id INTEGER,
        sentence_id INTEGER,
        agent TEXT NOT NULL DEFAULT '',
        agent_key TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'verb',
        passage_start INTEGER NOT NULL DEFAULT 0,
        mention TEXT NOT NULL DEFAULT '',
        words TEXT NOT NULL DEFAULT '',
        factuality TEXT NOT NULL DEFAULT 'asserted',
        PRIMARY KEY (workspace, key, action_id)
    ) WITHOUT ROWID;
    INSERT INTO action_keys_new (workspace, key, action_id, article_id, sentence_id, agent, agent_key, kind,
            passage_start, mention, words, factuality)
        SELECT workspace, key, action_id, article_id, sentence_id, agent, agent_key, kind, passage_start, mention,
            words, factuality FROM action_keys;
    DROP TABLE action_keys;
    ALTER TABLE action_keys_new RENAME TO action_keys;
    CREATE INDEX action_keys_action ON action_keys(action_id);
    CREATE INDEX action_keys_article ON action_keys(article_id);
    CREATE INDEX action_keys_agent ON action_keys(workspace, key, factuality, agent_key, article_id, passage_start, kind,
        agent, mention, sentence_id);
    CREATE INDEX action_keys_workspace ON action_keys(workspace, article_id);
    """,
    # A statement's index terms (its words and its passage's, stemmed, stopwords out,
    # space-separated): `!quotes X about Y` scores a speaker's statements from this one
    # column instead of re-reading and re-tokenising every passage. Rows stored before it
    # are filled at start-up (`Store.fill_statement_terms`), found by the partial index.
    """
    ALTER TABLE statements ADD COLUMN terms TEXT;
    CREATE INDEX statements_unscored ON statements(workspace, id) WHERE terms IS NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def sql_statements(script: str) -> list[str]:
    """The statements of a migration script, one per `;`."""
    return [part.strip() for part in script.split(";") if part.strip()]
