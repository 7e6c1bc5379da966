//! `GET /{records}/{id}` and `DELETE /{records}/{id}`, the same for every record type but
//! for names and the scope deleting needs.

/// Defines `get` and `delete` handlers in the calling module.
// rustfmt re-indents attributes inside macro_rules a little more on every run.
#[rustfmt::skip]
macro_rules! get_and_delete {
    (
        record: $ty:ty,
        path: $path:literal,
        tag: $tag:literal,
        id: $id_doc:literal,
        missing: $missing:literal,
        get: $get:ident,
        delete: $delete:ident,
        delete_key: $key:ident,
        delete_scope: $scope:literal $(,)?
    ) => {
        #[utoipa::path(
            get,
            path = $path,
            tag = $tag,
            security(("bearer" = ["read"])),
            params(("id" = String, Path, description = $id_doc)),
            responses(
                (status = 200, body = $ty),
                (status = 404, description = $missing, body = switchboard_api::ErrorBody),
                super::extract::AuthErrors,
            )
        )]
        pub async fn get(
            axum::extract::State(state): axum::extract::State<super::AppState>,
            super::extract::ReadKey(key): super::extract::ReadKey,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::Json<$ty>, crate::error::Error> {
            Ok(axum::Json(state.storage.$get(key.workspace_id, id).await?))
        }

        #[utoipa::path(
            delete,
            path = $path,
            tag = $tag,
            security(("bearer" = [$scope])),
            params(("id" = String, Path, description = $id_doc)),
            responses(
                (status = 204, description = "Deleted"),
                (status = 404, description = $missing, body = switchboard_api::ErrorBody),
                super::extract::AuthErrors,
            )
        )]
        pub async fn delete(
            axum::extract::State(state): axum::extract::State<super::AppState>,
            super::extract::$key(key): super::extract::$key,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::http::StatusCode, crate::error::Error> {
            state.storage.$delete(key.workspace_id, id).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}

pub(super) use get_and_delete;
