import { defineMessages } from "../define";

/**
 * The notifications page, and what the workflows' activities say in a notification: `notice.*`
 * keys, stored with their values in `notifications.message_key` / `message_params` and rendered
 * in the reader's language (app/i18n/render.ts). A row without a key (an older wording no
 * migration recognised) is shown as stored.
 */
export default defineMessages({
  en: {
    "notifications.title": "Notifications",
    "notifications.empty": "No notifications yet. Returned reports, sign-offs, reminders and escalations appear here.",
    "notifications.show": "Which notifications",
    "notifications.showAll": "All",
    "notifications.showUnread": "unread",
    "notifications.noneUnread": "Nothing unread.",
    "notifications.markAll.one": "Mark {count} as read",
    "notifications.markAll.other": "Mark all {count} as read",
    "notifications.unread": "Unread:",
    "notifications.markRead": "Mark read",
    "notifications.kind.reminder": "Reminder",
    "notifications.kind.escalation": "Escalation",
    "notifications.kind.gate_met": "Gate met",
    "notifications.kind.slip_flagged": "Slip back flagged",
    "notifications.kind.returned": "Report returned",
    "notifications.kind.signed_off": "Stage change",
    "notifications.kind.handover_variance": "Handover plan variance",
    "notice.gateMet": "The gate to {stage} is met and waits for ILO sign-off.",
    "notice.signedOff": "Signed off: you have reached {stage}.",
    "notice.movedBack": "Moved back to {stage}: {reason}",
    "notice.slipFlagged": "Flagged for review: may move back to {stage}. {reason}",
    "notice.slipReason": "{label}: {value} against {threshold} required ({basis})",
    "notice.decided": "A report was {status}: {comment}",
    "notice.reminder": "No milestone reported since {date}. Please report what happened this quarter.",
    "notice.escalation": "A report ({kind}) has waited for verification since {date}.",
    "notice.shareVariance":
      "Handover plan “{plan}”: in {quarter} non-ILO funding covered {actual:percent} of cost against {planned:percent} planned ({points} points; threshold {threshold}).",
    "notice.costVariance":
      "Handover plan “{plan}”: in {quarter} delivery cost {currency} {actual} against {planned} planned for the quarter ({percent:percent}; threshold {threshold:percent}).",
  },
  es: {
    "notifications.title": "Notificaciones",
    "notifications.empty":
      "Todavía no hay notificaciones. Aquí aparecen los informes devueltos, las aprobaciones, los recordatorios y las escaladas.",
    "notifications.show": "Qué notificaciones",
    "notifications.showAll": "Todas",
    "notifications.showUnread": "sin leer",
    "notifications.noneUnread": "Nada sin leer.",
    "notifications.markAll.one": "Marcar {count} como leída",
    "notifications.markAll.other": "Marcar las {count} como leídas",
    "notifications.unread": "No leída:",
    "notifications.markRead": "Marcar como leída",
    "notifications.kind.reminder": "Recordatorio",
    "notifications.kind.escalation": "Escalada",
    "notifications.kind.gate_met": "Umbral cumplido",
    "notifications.kind.slip_flagged": "Retroceso señalado",
    "notifications.kind.returned": "Informe devuelto",
    "notifications.kind.signed_off": "Cambio de etapa",
    "notifications.kind.handover_variance": "Desviación del plan de transferencia",
    "notice.gateMet": "Se cumple el umbral para {stage} y espera la aprobación de la OIT.",
    "notice.signedOff": "Aprobado: ha llegado a {stage}.",
    "notice.movedBack": "Devuelta a {stage}: {reason}",
    "notice.slipFlagged": "Señalada para revisión: puede volver a {stage}. {reason}",
    "notice.slipReason": "{label}: {value} frente a {threshold} requerido ({basis})",
    "notice.decided": "Un informe fue {status}: {comment}",
    "notice.reminder": "No se ha informado ningún hito desde el {date}. Informe de lo ocurrido este trimestre.",
    "notice.escalation": "Un informe ({kind}) espera verificación desde el {date}.",
    "notice.shareVariance":
      "Plan de transferencia «{plan}»: en {quarter} la financiación ajena a la OIT cubrió el {actual:percent} del costo frente al {planned:percent} previsto ({points} puntos; umbral {threshold}).",
    "notice.costVariance":
      "Plan de transferencia «{plan}»: en {quarter} el costo de impartición fue {currency} {actual} frente a {planned} previstos para el trimestre ({percent:percent}; umbral {threshold:percent}).",
  },
  fr: {
    "notifications.title": "Notifications",
    "notifications.empty":
      "Aucune notification pour l’instant. Les rapports renvoyés, les validations, les rappels et les escalades apparaissent ici.",
    "notifications.show": "Quelles notifications",
    "notifications.showAll": "Toutes",
    "notifications.showUnread": "non lues",
    "notifications.noneUnread": "Rien de non lu.",
    "notifications.markAll.one": "Marquer {count} comme lue",
    "notifications.markAll.other": "Marquer les {count} comme lues",
    "notifications.unread": "Non lue :",
    "notifications.markRead": "Marquer comme lue",
    "notifications.kind.reminder": "Rappel",
    "notifications.kind.escalation": "Escalade",
    "notifications.kind.gate_met": "Seuil atteint",
    "notifications.kind.slip_flagged": "Retour en arrière signalé",
    "notifications.kind.returned": "Rapport renvoyé",
    "notifications.kind.signed_off": "Changement d’étape",
    "notifications.kind.handover_variance": "Écart au plan de transfert",
    "notice.gateMet": "Le seuil pour {stage} est atteint et attend la validation de l’OIT.",
    "notice.signedOff": "Validé : vous avez atteint {stage}.",
    "notice.movedBack": "Revenue à {stage} : {reason}",
    "notice.slipFlagged": "Signalée pour examen : pourrait revenir à {stage}. {reason}",
    "notice.slipReason": "{label} : {value} pour {threshold} requis ({basis})",
    "notice.decided": "Un rapport a été {status} : {comment}",
    "notice.reminder": "Aucun jalon signalé depuis le {date}. Merci de signaler ce qui s’est passé ce trimestre.",
    "notice.escalation": "Un rapport ({kind}) attend sa vérification depuis le {date}.",
    "notice.shareVariance":
      "Plan de transfert « {plan} » : au {quarter}, le financement hors OIT a couvert {actual:percent} du coût pour {planned:percent} prévus ({points} points ; seuil {threshold}).",
    "notice.costVariance":
      "Plan de transfert « {plan} » : au {quarter}, le coût de formation a été de {currency} {actual} pour {planned} prévus sur le trimestre ({percent:percent} ; seuil {threshold:percent}).",
  },
});
