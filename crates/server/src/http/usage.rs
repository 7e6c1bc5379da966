use axum::Json;
use axum::extract::State;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use switchboard_api::{ErrorBody, ErrorCode, Usage, UsageQuery};

use super::AppState;
use super::extract::{ApiQuery, AuthErrors, ReadKey};
use crate::error::Error;
use crate::storage::Period;

const MAX_DAYS: i64 = 366;

/// Messages in and out, AI replies, conversations handled and active contacts, per day or
/// month (UTC), with totals over the range.
#[utoipa::path(
    get,
    path = "/usage",
    operation_id = "getUsage",
    tag = "usage",
    security(("bearer" = ["read"])),
    params(UsageQuery),
    responses(
        (status = 200, body = Usage),
        (status = 400, description = "Bad dates, range or period", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn usage(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiQuery(q): ApiQuery<UsageQuery>,
) -> Result<Json<Usage>, Error> {
    let bad = |m: String| Error::api(ErrorCode::InvalidQuery, m);
    let day = |raw: &str, name: &str| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| bad(format!("{name} must be a date like 2026-11-01")))
    };
    let to = match q.to.as_deref() {
        Some(raw) => day(raw, "to")?,
        None => Utc::now().date_naive(),
    };
    let from = match q.from.as_deref() {
        Some(raw) => day(raw, "from")?,
        None => to - Duration::days(29),
    };
    // Each date is well formed; together they may not be.
    let range = |m: String| Error::api(ErrorCode::InvalidRange, m);
    if from > to {
        return Err(range("from must not be after to".into()));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(range(format!("a range may cover at most {MAX_DAYS} days")));
    }
    let period = match q.period.as_deref() {
        None | Some("day") => Period::Day,
        Some("month") => Period::Month,
        Some(other) => return Err(bad(format!("period must be day or month, not {other:?}"))),
    };
    // A month period starts on the first of `from`'s month, so months are never partial.
    let from = if period == Period::Month { from.with_day(1).unwrap_or(from) } else { from };
    let usage = state
        .storage
        .usage(key.workspace_id, from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string(), period)
        .await?;
    Ok(Json(usage))
}
