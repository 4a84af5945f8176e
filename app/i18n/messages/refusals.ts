import { defineMessages } from "../define";

/**
 * Why a workflow refused a change, one message per refusal code (workflows/refusal.ts). The web
 * app turns a refusal into `refusal.<CODE>` with the workflow's parameters and renders it in the
 * reader's language; nothing here is matched against text.
 */
export default defineMessages({
  en: {
    "refusal.WRONG_STAGE": "The institution is no longer at {stage}: someone else decided first. Nothing was changed.",
    "refusal.GATE_NOT_MET": "The gate to the next stage is not met. Nothing was changed.",
    "refusal.LAST_STAGE": "The institution is at the last stage: there is nothing to sign off.",
    "refusal.ALREADY_DECIDED": "This report is not waiting for a decision: it was decided already.",
    "refusal.ALREADY_PENDING": "This report is already waiting for verification.",
    "refusal.NO_SLIP": "No slip back is waiting for a decision.",
    "refusal.OUT_OF_ORDER": "This step cannot be taken now: the plan’s status is “{status}”.",
    "refusal.OTHER_INSTITUTION": "This report belongs to another institution.",
    "refusal.STAGE_NOT_IN_TEMPLATE": "{template} has no stage “{stage}”, where the institution is: the move is refused.",
    "refusal.INVALID_INPUT": "Something in the form is not right ({field}). Nothing was changed.",
    "refusal.ACTOR_REQUIRED": "The name of the person taking this step is missing.",
    "refusal.ROLE_NOT_ALLOWED": "Your role cannot take this step.",
    "refusal.REASON_REQUIRED": "Give a reason or a comment for this step.",
    "refusal.TEMPLATE_NOT_PUBLISHED": "Template {template} is not published.",
    "refusal.TEMPLATE_OTHER_COUNTRY": "Template {template} is for another country.",
    "refusal.NOT_APPLICABLE": "The change cannot be applied: it names a record this institution does not have.",
    "refusal.NOT_FOUND": "What this change names does not exist (any more).",
    "refusal.UNAVAILABLE": "The workflow service is unavailable; nothing was changed. Try again.",
    "refusal.SLOW": "The workflow service did not answer in time. Sending again is safe: nothing is recorded twice.",
    "refusal.REFUSED": "The workflow refused the change. Nothing was changed.",
  },
  es: {
    "refusal.WRONG_STAGE": "La institución ya no está en {stage}: otra persona decidió antes. No se cambió nada.",
    "refusal.GATE_NOT_MET": "No se cumple el umbral para la siguiente etapa. No se cambió nada.",
    "refusal.LAST_STAGE": "La institución está en la última etapa: no hay nada que aprobar.",
    "refusal.ALREADY_DECIDED": "Este informe no espera ninguna decisión: ya se decidió.",
    "refusal.ALREADY_PENDING": "Este informe ya espera verificación.",
    "refusal.NO_SLIP": "Ningún retroceso espera una decisión.",
    "refusal.OUT_OF_ORDER": "Este paso no puede darse ahora: el estado del plan es «{status}».",
    "refusal.OTHER_INSTITUTION": "Este informe pertenece a otra institución.",
    "refusal.STAGE_NOT_IN_TEMPLATE": "{template} no tiene la etapa «{stage}», donde está la institución: se rechaza el cambio.",
    "refusal.INVALID_INPUT": "Algo en el formulario no es correcto ({field}). No se cambió nada.",
    "refusal.ACTOR_REQUIRED": "Falta el nombre de la persona que da este paso.",
    "refusal.ROLE_NOT_ALLOWED": "Su función no permite dar este paso.",
    "refusal.REASON_REQUIRED": "Indique un motivo o un comentario para este paso.",
    "refusal.TEMPLATE_NOT_PUBLISHED": "La plantilla {template} no está publicada.",
    "refusal.TEMPLATE_OTHER_COUNTRY": "La plantilla {template} es para otro país.",
    "refusal.NOT_APPLICABLE": "No se puede aplicar el cambio: menciona un registro que esta institución no tiene.",
    "refusal.NOT_FOUND": "Lo que menciona este cambio no existe (o ya no existe).",
    "refusal.UNAVAILABLE": "El servicio de flujos de trabajo no está disponible; no se cambió nada. Inténtelo de nuevo.",
    "refusal.SLOW":
      "El servicio de flujos de trabajo no respondió a tiempo. Puede enviarlo de nuevo: nada se registra dos veces.",
    "refusal.REFUSED": "El flujo de trabajo rechazó el cambio. No se cambió nada.",
  },
  fr: {
    "refusal.WRONG_STAGE": "L’institution n’est plus à {stage} : quelqu’un d’autre a décidé avant. Rien n’a été modifié.",
    "refusal.GATE_NOT_MET": "Le seuil de l’étape suivante n’est pas atteint. Rien n’a été modifié.",
    "refusal.LAST_STAGE": "L’institution est à la dernière étape : il n’y a rien à valider.",
    "refusal.ALREADY_DECIDED": "Ce rapport n’attend pas de décision : il a déjà été décidé.",
    "refusal.ALREADY_PENDING": "Ce rapport attend déjà sa vérification.",
    "refusal.NO_SLIP": "Aucun retour en arrière n’attend de décision.",
    "refusal.OUT_OF_ORDER": "Cette étape ne peut pas être franchie maintenant : le statut du plan est « {status} ».",
    "refusal.OTHER_INSTITUTION": "Ce rapport appartient à une autre institution.",
    "refusal.STAGE_NOT_IN_TEMPLATE":
      "{template} n’a pas d’étape « {stage} », où se trouve l’institution : le changement est refusé.",
    "refusal.INVALID_INPUT": "Un élément du formulaire n’est pas correct ({field}). Rien n’a été modifié.",
    "refusal.ACTOR_REQUIRED": "Le nom de la personne qui franchit cette étape manque.",
    "refusal.ROLE_NOT_ALLOWED": "Votre rôle ne permet pas de franchir cette étape.",
    "refusal.REASON_REQUIRED": "Indiquez un motif ou un commentaire pour cette étape.",
    "refusal.TEMPLATE_NOT_PUBLISHED": "Le modèle {template} n’est pas publié.",
    "refusal.TEMPLATE_OTHER_COUNTRY": "Le modèle {template} est destiné à un autre pays.",
    "refusal.NOT_APPLICABLE":
      "Le changement ne peut pas être appliqué : il cite un enregistrement que cette institution n’a pas.",
    "refusal.NOT_FOUND": "Ce que cite ce changement n’existe pas (ou plus).",
    "refusal.UNAVAILABLE": "Le service des flux de travail est indisponible ; rien n’a été modifié. Réessayez.",
    "refusal.SLOW":
      "Le service des flux de travail n’a pas répondu à temps. Vous pouvez renvoyer : rien n’est enregistré deux fois.",
    "refusal.REFUSED": "Le flux de travail a refusé le changement. Rien n’a été modifié.",
  },
});
