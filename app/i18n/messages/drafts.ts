import { defineMessages } from "../define";

/** A report kept on the device until the server has it (decision 027). */
export default defineMessages({
  en: {
    "draft.offerTitle": "A report not yet sent is kept on this device",
    "draft.offerBody": "{kind}, last changed {when}. Restore it to check and send it, or discard it.",
    "draft.restore": "Restore the report",
    "draft.discard": "Discard it",
    "draft.restored": "The report kept on this device is back in the form. Check it, attach any files again, and send it.",
    "draft.discarded": "The report kept on this device was discarded.",
    "draft.offline":
      "Not sent: this device is offline, so nothing reached Pathways. Your report is kept on this device: send it again once you are back online.",
    "draft.dropped":
      "Not confirmed: the connection dropped before Pathways answered, so the report may or may not have arrived. It is kept on this device: send it again once you are back online. It will be counted once.",
    "draft.filesNotKept": "Files you attached are not kept on the device: attach them again before you send.",
  },
  es: {
    "draft.offerTitle": "Un informe aún no enviado está guardado en este dispositivo",
    "draft.offerBody": "{kind}, modificado por última vez {when}. Recupérelo para revisarlo y enviarlo, o descártelo.",
    "draft.restore": "Recuperar el informe",
    "draft.discard": "Descartarlo",
    "draft.restored":
      "El informe guardado en este dispositivo está de nuevo en el formulario. Revíselo, adjunte de nuevo los archivos y envíelo.",
    "draft.discarded": "Se descartó el informe guardado en este dispositivo.",
    "draft.offline":
      "No enviado: este dispositivo no tiene conexión, así que nada llegó a Pathways. Su informe está guardado en este dispositivo: envíelo de nuevo cuando vuelva a tener conexión.",
    "draft.dropped":
      "Sin confirmar: la conexión se cortó antes de que Pathways respondiera, así que el informe puede haber llegado o no. Está guardado en este dispositivo: envíelo de nuevo cuando vuelva a tener conexión. Se contará una sola vez.",
    "draft.filesNotKept": "Los archivos adjuntos no se guardan en el dispositivo: adjúntelos de nuevo antes de enviar.",
  },
  fr: {
    "draft.offerTitle": "Un rapport pas encore envoyé est conservé sur cet appareil",
    "draft.offerBody":
      "{kind}, modifié pour la dernière fois {when}. Restaurez-le pour le vérifier et l’envoyer, ou abandonnez-le.",
    "draft.restore": "Restaurer le rapport",
    "draft.discard": "L’abandonner",
    "draft.restored":
      "Le rapport conservé sur cet appareil est de retour dans le formulaire. Vérifiez-le, joignez de nouveau les fichiers et envoyez-le.",
    "draft.discarded": "Le rapport conservé sur cet appareil a été abandonné.",
    "draft.offline":
      "Non envoyé : cet appareil est hors ligne, rien n’est parvenu à Pathways. Votre rapport est conservé sur cet appareil : envoyez-le de nouveau une fois la connexion revenue.",
    "draft.dropped":
      "Non confirmé : la connexion a été coupée avant la réponse de Pathways, le rapport est peut-être arrivé, peut-être pas. Il est conservé sur cet appareil : envoyez-le de nouveau une fois la connexion revenue. Il ne sera compté qu’une fois.",
    "draft.filesNotKept": "Les fichiers joints ne sont pas conservés sur l’appareil : joignez-les de nouveau avant d’envoyer.",
  },
});
