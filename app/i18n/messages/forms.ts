import { defineMessages } from "../define";

/** Words every form shares. */
export default defineMessages({
  en: {
    "forms.choose": "Choose…",
    "forms.correct": "Please correct the following:",
    "forms.sending": "Sending…",
    "forms.saving": "Saving…",
    "forms.cancel": "Cancel",
    "forms.optional": "optional",
  },
  es: {
    "forms.choose": "Elija…",
    "forms.correct": "Corrija lo siguiente:",
    "forms.sending": "Enviando…",
    "forms.saving": "Guardando…",
    "forms.cancel": "Cancelar",
    "forms.optional": "opcional",
  },
  fr: {
    "forms.choose": "Choisir…",
    "forms.correct": "Veuillez corriger les points suivants :",
    "forms.sending": "Envoi…",
    "forms.saving": "Enregistrement…",
    "forms.cancel": "Annuler",
    "forms.optional": "facultatif",
  },
});
