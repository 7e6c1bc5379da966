//! The query every record list shares: page, `updatedSince`, and the filters a list has.

use switchboard_api::{ErrorCode, ListRecordsQuery};

use super::extract::page_limit;
use super::validate;
use crate::error::Error;
use crate::record_storage::{PageRequest, RecordFilter};
use crate::storage::ConversationCursor;

/// Which filters a list takes: `status` checked by the given parser.
#[derive(Default)]
pub struct Filters {
    pub status: Option<fn(&str) -> bool>,
    pub contact: bool,
    pub language: bool,
}

/// Validates the query; a filter the list does not take is refused, not ignored.
pub fn parse(q: ListRecordsQuery, filters: Filters) -> Result<(RecordFilter, PageRequest), Error> {
    let bad = |m: String| Error::api(ErrorCode::InvalidQuery, m);
    let page = page(q.limit, q.cursor.as_deref())?;
    let updated_since = updated_since(q.updated_since.as_deref())?;
    let status = match (q.status, filters.status) {
        (Some(s), Some(valid)) if valid(&s) => Some(s),
        (Some(s), Some(_)) => return Err(bad(format!("status: unknown value '{s}'"))),
        (Some(_), None) => return Err(bad("this list has no status filter".into())),
        (None, _) => None,
    };
    if q.contact_id.is_some() && !filters.contact {
        return Err(bad("this list has no contactId filter".into()));
    }
    let language = match (q.language, filters.language) {
        (Some(l), true) => Some(validate::language(&l).map_err(|e| bad(e.to_string()))?),
        (Some(_), false) => return Err(bad("this list has no language filter".into())),
        (None, _) => None,
    };
    Ok((RecordFilter { status, contact_id: q.contact_id, language, updated_since }, page))
}

/// `limit` (default 50, at most 200) and the opaque `cursor` of every list; an empty
/// cursor (`cursor=`) is the first page.
pub fn page(limit: Option<u32>, cursor: Option<&str>) -> Result<PageRequest, Error> {
    let cursor = cursor.filter(|c| !c.is_empty());
    Ok(PageRequest { limit: page_limit(limit, 50, 200)?, after: cursor.map(ConversationCursor::decode).transpose()? })
}

/// The `updatedSince` filter, normalized.
pub fn updated_since(raw: Option<&str>) -> Result<Option<String>, Error> {
    raw.map(|raw| validate::time(raw, "updatedSince").map_err(|e| Error::api(ErrorCode::InvalidQuery, e.to_string())))
        .transpose()
}
