//! Teammates: added and changed by admins, each action audited; keys handed to them act
//! as them.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::Scope;
use switchboard_tests::{TestServer, call};

async fn add(t: &TestServer, name: &str, role: &str) -> Value {
    let (status, member) = call(t, &t.key, Method::POST, "/members", Some(json!({"name": name, "role": role}))).await;
    assert_eq!(status, 201, "{member}");
    member
}

#[tokio::test]
async fn admins_add_and_change_teammates_and_every_action_is_audited() {
    let t = TestServer::start(false).await;
    let sam = add(&t, " Sam Rivera ", "agent").await;
    assert_eq!((sam["name"].as_str(), sam["role"].as_str()), (Some("Sam Rivera"), Some("agent")));
    let id = sam["id"].as_str().unwrap();
    let (_, listed) = call(&t, &t.key, Method::GET, "/members", None).await;
    assert!(listed.as_array().unwrap().contains(&sam));

    let (status, promoted) =
        call(&t, &t.key, Method::PATCH, &format!("/members/{id}"), Some(json!({"role": "admin", "name": "Sam R."})))
            .await;
    assert_eq!(status, 200, "{promoted}");
    assert_eq!((promoted["role"].as_str(), promoted["name"].as_str()), (Some("admin"), Some("Sam R.")));
    let (_, got) = call(&t, &t.key, Method::GET, &format!("/members/{id}"), None).await;
    assert_eq!(got, promoted);

    let (_, audit) = call(&t, &t.key, Method::GET, "/audit-log", None).await;
    let actions: Vec<(&str, &str)> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["targetId"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("member.renamed", id), ("member.role_changed", id), ("member.created", id)]);
    assert!(audit["data"].as_array().unwrap().iter().all(|e| e["ip"] == "127.0.0.1"));
}

#[tokio::test]
async fn ownership_and_bad_input_are_refused_and_change_nothing() {
    let t = TestServer::start(false).await;
    let owner = t.client().me().await.unwrap().member;
    let agent = add(&t, "Priya", "agent").await;
    let agent_path = format!("/members/{}", agent["id"].as_str().unwrap());
    let before: Value = call(&t, &t.key, Method::GET, "/members", None).await.1;
    let cases = [
        (Method::POST, "/members".to_owned(), json!({"name": "Eve", "role": "owner"}), 400),
        (Method::POST, "/members".to_owned(), json!({"name": "  ", "role": "agent"}), 400),
        (Method::POST, "/members".to_owned(), json!({"name": "Eve", "role": "boss"}), 400),
        (Method::POST, "/members".to_owned(), json!({"name": "Eve"}), 400),
        (Method::PATCH, format!("/members/{}", owner.id), json!({"role": "agent"}), 409),
        (Method::PATCH, agent_path.clone(), json!({"role": "owner"}), 409),
        (Method::PATCH, agent_path.clone(), json!({"name": "x".repeat(101)}), 400),
        (Method::PATCH, agent_path, json!({"email": "p@x.test"}), 400),
        (Method::PATCH, "/members/mem_nope".to_owned(), json!({"name": "Ghost"}), 404),
    ];
    for (method, path, body, expected) in cases {
        let (status, err) = call(&t, &t.key, method, &path, Some(body.clone())).await;
        assert_eq!(status, expected, "{path} {body}: {err}");
        assert!(err["code"].is_string(), "{err}");
    }
    assert_eq!(call(&t, &t.key, Method::GET, "/members", None).await.1, before);
}

#[tokio::test]
async fn only_admins_manage_members_and_workspaces_stay_apart() {
    let t = TestServer::start(false).await;
    let agent_key = t.server.issue_owner_key("agent", &[Scope::Read, Scope::Write]).await.unwrap().plaintext;
    let (status, _) =
        call(&t, &agent_key, Method::POST, "/members", Some(json!({"name": "Eve", "role": "agent"}))).await;
    assert_eq!(status, 403);
    let (status, _) =
        call(&t, "sb_live_nope", Method::POST, "/members", Some(json!({"name": "Eve", "role": "agent"}))).await;
    assert_eq!(status, 401);
    let sam = add(&t, "Sam", "agent").await;
    let other = t.server.create_workspace("Rival", "Owner").await.unwrap().key.plaintext;
    let path = format!("/members/{}", sam["id"].as_str().unwrap());
    assert_eq!(call(&t, &other, Method::GET, &path, None).await.0, 404);
    assert_eq!(call(&t, &other, Method::PATCH, &path, Some(json!({"name": "Mine now"}))).await.0, 404);
    let rival_key = json!({"name": "Sam's", "scopes": ["read"], "memberId": sam["id"]});
    let (status, err) = call(&t, &other, Method::POST, "/keys", Some(rival_key)).await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")), "no keys for another workspace's member");
}

#[tokio::test]
async fn a_key_made_for_a_teammate_acts_as_them() {
    let t = TestServer::start(false).await;
    let sam = add(&t, "Sam", "agent").await;
    let req = json!({"name": "Sam's laptop", "scopes": ["read", "write"], "memberId": sam["id"]});
    let (status, created) = call(&t, &t.key, Method::POST, "/keys", Some(req)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["key"]["memberId"], sam["id"]);
    let (_, me) = call(&t, created["secret"].as_str().unwrap(), Method::GET, "/me", None).await;
    assert_eq!(me["member"], sam);
}
