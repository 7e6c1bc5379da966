//! `GET /{records}`, `GET /{records}/{id}` and `DELETE /{records}/{id}`, the same for every
//! record type but for names, the filters a list takes and the scope deleting needs.
//! (Create and patch differ by their field rules and stay in each record's module.)

/// Defines `list`, `get` and `delete` handlers in the calling module.
// rustfmt re-indents attributes inside macro_rules a little more on every run.
#[rustfmt::skip]
macro_rules! record_routes {
    (
        record: $ty:ty,
        collection: $collection:literal,
        list_doc: $list_doc:literal,
        filters: $filters:expr,
        list: $list:ident,
        path: $path:literal,
        tag: $tag:literal,
        id: $id_doc:literal,
        missing: $missing:literal,
        get: $get:ident,
        delete: $delete:ident,
        delete_key: $key:ident,
        delete_scope: $scope:literal,
        operations: ($list_op:literal, $get_op:literal, $delete_op:literal) $(,)?
    ) => {
        #[doc = $list_doc]
        #[utoipa::path(
            get,
            path = $collection,
            operation_id = $list_op,
            tag = $tag,
            security(("bearer" = ["read"])),
            params(switchboard_api::ListRecordsQuery),
            responses(
                (status = 200, body = switchboard_api::Page<$ty>),
                (status = 400, description = "Bad limit, cursor or filter", body = switchboard_api::ErrorBody),
                super::extract::AuthErrors,
            )
        )]
        pub async fn list(
            axum::extract::State(state): axum::extract::State<super::AppState>,
            super::extract::ReadKey(key): super::extract::ReadKey,
            super::extract::ApiQuery(q): super::extract::ApiQuery<switchboard_api::ListRecordsQuery>,
        ) -> Result<axum::Json<switchboard_api::Page<$ty>>, crate::error::Error> {
            let (filter, page) = super::record_query::parse(q, $filters)?;
            Ok(axum::Json(state.storage.$list(key.workspace_id, filter, page).await?))
        }

        #[utoipa::path(
            get,
            path = $path,
            operation_id = $get_op,
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
            $crate::http::extract::ApiPath(id): $crate::http::extract::ApiPath<String>,
        ) -> Result<axum::Json<$ty>, crate::error::Error> {
            Ok(axum::Json(state.storage.$get(key.workspace_id, id).await?))
        }

        #[utoipa::path(
            delete,
            path = $path,
            operation_id = $delete_op,
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
            $crate::http::extract::ApiPath(id): $crate::http::extract::ApiPath<String>,
        ) -> Result<axum::http::StatusCode, crate::error::Error> {
            state.storage.$delete(key.workspace_id, id).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}

pub(super) use record_routes;
