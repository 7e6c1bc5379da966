//! Every route of API v1 through the typed client against the real server, so a client
//! method that builds the wrong path, method or body fails here rather than in the app.

#![allow(clippy::unwrap_used)]

use switchboard_api::{
    AiReplyRequest, ChannelKind, CreateAppointmentRequest, CreateChannelRequest, CreateContactRequest,
    CreateKnowledgeRequest, CreateLabelRequest, CreateLeadRequest, CreateMemberRequest, CreateTemplateRequest,
    CreateWebhookRequest, EscalateRequest, ListAuditQuery, ListContactsQuery, ListConversationsQuery,
    ListDeliveriesQuery, ListRecordsQuery, MarkReadRequest, MessageStatus, MessageStatusUpdate, PatchChannelRequest,
    PatchContactRequest, PatchKnowledgeRequest, PatchLabelRequest, PatchLeadRequest, PatchMemberRequest,
    PatchWebhookRequest, PostMessageRequest, Role, RotateWebhookSecretRequest, TemplateCategory, UsageQuery,
};
use switchboard_tests::TestServer;

#[tokio::test]
async fn every_route_works_through_the_client() {
    let t = TestServer::start_with(true, |c| c.webhooks.policy.allow_loopback = true).await;
    let c = t.client();
    let q = ListRecordsQuery::default();

    // Contacts and members.
    let contact =
        c.create_contact(&CreateContactRequest { name: Some("Pat".into()), ..Default::default() }).await.unwrap();
    let patched = c
        .patch_contact(
            &contact.id,
            &PatchContactRequest { email: Some(Some("pat@example.com".into())), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(patched.email.as_deref(), Some("pat@example.com"));
    assert_eq!(c.get_contact(&contact.id).await.unwrap().id, contact.id);
    assert!(c.list_contacts(&ListContactsQuery::default()).await.unwrap().data.len() > 30);
    let member = c.create_member(&CreateMemberRequest { name: "Sam".into(), role: Role::Agent }).await.unwrap();
    c.patch_member(&member.id, &PatchMemberRequest { name: Some("Sam K.".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.get_member(&member.id).await.unwrap().name, "Sam K.");
    assert!(c.list_members().await.unwrap().len() >= 2);

    // Records: create, get, patch, list, delete (a 204).
    let lead = c.create_lead(&CreateLeadRequest { name: Some("Pat".into()), ..Default::default() }).await.unwrap();
    c.patch_lead(&lead.id, &PatchLeadRequest { interest: Some(Some("whitening".into())), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.get_lead(&lead.id).await.unwrap().interest.as_deref(), Some("whitening"));
    assert!(!c.list_leads(&q).await.unwrap().data.is_empty());
    c.delete_lead(&lead.id).await.unwrap();
    assert_eq!(c.get_lead(&lead.id).await.unwrap_err().code(), "not_found");
    let appointment = c
        .create_appointment(&CreateAppointmentRequest { service: "Cleaning".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.get_appointment(&appointment.id).await.unwrap().service, "Cleaning");
    assert!(!c.list_appointments(&q).await.unwrap().data.is_empty());
    c.delete_appointment(&appointment.id).await.unwrap();
    let label = c.create_label(&CreateLabelRequest { name: "VIP-client".into(), ..Default::default() }).await.unwrap();
    c.patch_label(
        &label.id,
        &PatchLabelRequest { description: Some(Some("Big spenders".into())), ..Default::default() },
    )
    .await
    .unwrap();
    assert!(c.list_labels(&q).await.unwrap().data.iter().any(|l| l.id == label.id));
    c.delete_label(&label.id).await.unwrap();
    let template = c
        .create_template(&CreateTemplateRequest {
            name: "route_check".into(),
            language: "en".into(),
            category: TemplateCategory::Utility,
            body: "Hi {{1}}".into(),
            status: None,
        })
        .await
        .unwrap();
    assert_eq!(c.get_template(&template.id).await.unwrap().name, "route_check");
    assert!(!c.list_templates(&q).await.unwrap().data.is_empty());
    c.delete_template(&template.id).await.unwrap();
    let entry = c
        .create_knowledge(&CreateKnowledgeRequest {
            title: "Parking".into(),
            body: "Free behind the building".into(),
            url: None,
        })
        .await
        .unwrap();
    c.patch_knowledge(&entry.id, &PatchKnowledgeRequest { body: Some("Free, 20 spaces".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.get_knowledge(&entry.id).await.unwrap().body, "Free, 20 spaces");
    assert!(!c.list_knowledge(&q).await.unwrap().data.is_empty());

    // Conversations: counts, read, presence, escalate, a status report, an AI draft.
    let conversation = c.list_conversations(&ListConversationsQuery::default()).await.unwrap().data.remove(0);
    assert!(c.conversation_counts().await.unwrap().all > 0);
    c.mark_read(&conversation.id, &MarkReadRequest::default()).await.unwrap();
    assert!(c.presence(&conversation.id).await.unwrap().is_empty());
    let escalated =
        c.escalate(&conversation.id, &EscalateRequest { reason: "Asked for a person".into() }).await.unwrap();
    assert!(escalated.escalated_at.is_some());
    let note =
        PostMessageRequest { kind: switchboard_api::MessageKind::Text, text: "Hello".into(), ..Default::default() };
    let sent = c.post_message(&conversation.id, &note, None).await;
    if let Ok(sent) = sent {
        let report = MessageStatusUpdate { status: MessageStatus::Delivered, error: None };
        let updated = c.update_message_status(&conversation.id, &sent.id, &report).await.unwrap();
        assert_ne!(updated.status, MessageStatus::Sent);
    }
    let draft = c.ai_reply(&AiReplyRequest { message: "Is parking free?".into(), ..Default::default() }).await.unwrap();
    assert!(draft.reply.contains("Free"), "{}", draft.reply);
    c.delete_knowledge(&entry.id).await.unwrap();

    // Usage and audit.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let usage =
        c.usage(&UsageQuery { from: Some(today.clone()), to: Some(today), ..Default::default() }).await.unwrap();
    assert!(!usage.data.is_empty());
    assert!(!c.audit_log(&ListAuditQuery::default()).await.unwrap().data.is_empty());

    // Channels and the rest of the webhook routes.
    let channel = c
        .create_channel(&CreateChannelRequest {
            kind: ChannelKind::Web,
            name: "Site".into(),
            whatsapp: None,
            web: None,
        })
        .await
        .unwrap();
    c.patch_channel(&channel.id, &PatchChannelRequest { name: Some("Website".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.get_channel(&channel.id).await.unwrap().name, "Website");
    assert!(c.list_channels().await.unwrap().iter().any(|ch| ch.id == channel.id));
    c.delete_channel(&channel.id).await.unwrap();
    let hook = c
        .create_webhook(&CreateWebhookRequest { url: "http://127.0.0.1:9/hook".into(), ..Default::default() })
        .await
        .unwrap();
    let id = hook.endpoint.id;
    c.patch_webhook(&id, &PatchWebhookRequest { description: Some(Some("CRM".into())), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.get_webhook(&id).await.unwrap().description.as_deref(), Some("CRM"));
    let rotated = c.rotate_webhook_secret(&id, &RotateWebhookSecretRequest::default()).await.unwrap();
    assert_ne!(rotated.secret, hook.secret);
    let test = c.test_webhook(&id).await.unwrap();
    assert_eq!(c.get_delivery(&test.id).await.unwrap().delivery.id, test.id);
    assert!(!c.list_deliveries(&id, &ListDeliveriesQuery::default()).await.unwrap().data.is_empty());
    c.delete_webhook(&id).await.unwrap();
    assert_eq!(c.get_webhook(&id).await.unwrap_err().code(), "not_found");
}
