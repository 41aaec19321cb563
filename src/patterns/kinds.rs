// The pattern kinds the classifier gives a meaning beyond "remove this line". A kind is the name
// of a pattern file (`patterns/<lang>/<kind>.txt`); every other kind just removes the lines its
// patterns match. `build.rs` includes this file and fails the build when a kind named here has no
// default pattern file, so renaming a file cannot change results silently. Plain consts only:
// `build.rs` compiles this file on its own.

/// A share bar ("Share on Facebook", "Поделиться"): between items once prose has begun, it
/// breaks the article region; next to a comments marker, that marker is a button, not a section.
pub const SHARE: &str = "share";

/// A comment section's marker ("Leave a comment", "12 comments"): after some prose, nothing
/// below it joins the article, and what is left there is removed as `comments`. Also a footer.
pub const COMMENTS: &str = "comments";

/// "Read also", "Читайте также": opens a footer of other articles.
pub const READ_ALSO: &str = "read-also";

/// "Popular", "Обсуждаемое": opens a footer of other headlines.
pub const POPULAR: &str = "popular";

/// A cookie banner: removed whatever its length, since banners are written as full sentences.
pub const COOKIE: &str = "cookie";

/// A rights notice: removed whatever its length; its holder names the record's `site`.
pub const COPYRIGHT: &str = "copyright";

/// A "Tags:" line: its items become the record's `tags`.
pub const TAGS: &str = "tags";

/// Kinds whose marker line opens a footer: what follows is a list of other articles or comments,
/// and the article region strongly resists crossing it.
pub const FOOTER_KINDS: &[&str] = &[READ_ALSO, POPULAR, COMMENTS];

/// Kinds whose patterns are specific enough to remove even a long sentence.
pub const ANY_LENGTH_KINDS: &[&str] = &[COOKIE, COPYRIGHT];

/// Kinds whose phrases also match as the lead of a line: the phrase, a colon or a dash, then
/// anything ("Читайте также: <headline>", "Read more - <headline>").
pub const LEAD_KINDS: &[&str] = &[READ_ALSO];

/// Every kind above: each must have a default pattern file (`build.rs` checks).
pub const MEANINGFUL_KINDS: &[&str] = &[SHARE, COMMENTS, READ_ALSO, POPULAR, COOKIE, COPYRIGHT, TAGS];
