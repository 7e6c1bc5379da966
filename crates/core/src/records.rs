//! Leads and appointments: the lists, their status changes and the leads' CSV export.

use std::path::{Path, PathBuf};

use switchboard_api::{
    Appointment, AppointmentStatus, Change, Label, Lead, LeadStatus, PatchAppointmentRequest, PatchLeadRequest,
};

use crate::App;
use crate::error::CoreError;

impl App {
    pub async fn leads(&self) -> Result<Vec<Lead>, CoreError> {
        self.with_store(|s| Ok(s.records::<Lead>()?)).await
    }

    pub async fn appointments(&self) -> Result<Vec<Appointment>, CoreError> {
        self.with_store(|s| Ok(s.records::<Appointment>()?)).await
    }

    /// The workspace's labels, for the filters and the label picker.
    pub async fn labels(&self) -> Result<Vec<Label>, CoreError> {
        let mut labels = self.with_store(|s| Ok(s.records::<Label>()?)).await?;
        labels.sort_by_key(|l| l.name.to_lowercase());
        Ok(labels)
    }

    /// Moves a lead along the pipeline.
    pub async fn set_lead_status(&self, lead_id: String, status: LeadStatus) -> Result<Lead, CoreError> {
        let patch = PatchLeadRequest { status: Some(status), ..Default::default() };
        let lead = self.client().patch_lead(&lead_id, &patch).await?;
        let cached = lead.clone();
        self.with_store(move |s| Ok(s.apply(&[Change::Lead(cached)], 0).map(|_| ())?)).await?;
        Ok(lead)
    }

    /// Confirms or declines a booking request.
    pub async fn set_appointment_status(
        &self,
        appointment_id: String,
        status: AppointmentStatus,
    ) -> Result<Appointment, CoreError> {
        let patch = PatchAppointmentRequest { status: Some(status), ..Default::default() };
        let appointment = self.client().patch_appointment(&appointment_id, &patch).await?;
        let cached = appointment.clone();
        self.with_store(move |s| Ok(s.apply(&[Change::Appointment(cached)], 0).map(|_| ())?)).await?;
        Ok(appointment)
    }

    /// Writes the leads (all, or those with `status`) as CSV into `dir`; returns the file.
    pub async fn export_leads(&self, dir: PathBuf, status: Option<LeadStatus>) -> Result<PathBuf, CoreError> {
        let leads = self.leads().await?;
        let rows: Vec<&Lead> = leads.iter().filter(|l| status.is_none_or(|s| l.status == s)).collect();
        let csv = leads_csv(&rows);
        let name = format!("switchboard-leads-{}.csv", chrono::Utc::now().format("%Y-%m-%d-%H%M%S"));
        tokio::task::spawn_blocking(move || write_new(&dir, &name, csv.as_bytes()))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))?
    }
}

const HEADER: &[&str] = &["id", "name", "email", "phone", "interest", "status", "created_at", "conversation_id"];

pub(crate) fn leads_csv(leads: &[&Lead]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for l in leads {
        let fields = [
            Some(l.id.as_str()),
            l.name.as_deref(),
            l.email.as_deref(),
            l.phone.as_deref(),
            l.interest.as_deref(),
            Some(l.status.as_str()),
            Some(l.created_at.as_str()),
            l.conversation_id.as_deref(),
        ];
        let line: Vec<String> = fields.iter().map(|f| field(f.unwrap_or(""))).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is defused so a spreadsheet does not
/// run a visitor's words as a formula.
fn field(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@']) { format!("'{v}") } else { v.to_owned() };
    if v.contains([',', '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v }
}

fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, CoreError> {
    std::fs::create_dir_all(dir).map_err(|e| CoreError::Io(format!("{}: {e}", dir.display())))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| CoreError::Io(format!("{}: {e}", path.display())))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1 555"), "'+1 555");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
