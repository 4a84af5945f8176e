import { defineMessages } from "../define";

/**
 * The "on what data" lines of the gate metrics and the forecast. Gate criteria carry theirs as
 * `basisMessage` (a key with its values, rendered in the reader's language); `localise` still
 * recognises the English of gate results stored before that, and of the forecast's summary.
 */
export default defineMessages({
  en: {
    "basis.readinessPart": "{dimension} {mean}/4",
    "basis.readinessPart.notScored": "{dimension} not scored",
    "basis.words": "{list}",
    "basis.totTrainers": "{n} trainers with a verified ToT",
    "basis.womenTrained": "{women} women of {total} trained",
    "basis.certified": "{n} trainers holding an unexpired certification",
    "basis.certifiedFor": "{n} trainers certified for {module}",
    "basis.modulesBesides": "Modules besides {module}: {list}",
    "basis.noModuleBesides": "No module besides {module}",
    "basis.experts": "{n} national expert trainers",
    "basis.active": "{active} of {total} certified trainers active since {from}",
    "basis.cycles": "{n} cycles ended since {from}",
    "basis.noNonIlo": "No non-ILO funding",
    "basis.noIloCycles": "{n} cycles with no ILO staff or money",
    "basis.noReadiness": "No ILO readiness assessment recorded",
    "basis.readiness": "ILO assessment of {on}: {parts}",
    "basis.mouSigned": "MoU signed {date}",
    "basis.noMou": "No MoU recorded",
    "basis.listed": "Listed in service portfolio",
    "basis.notListed": "Not yet listed",
    "basis.adopted": "Adopted {date}",
    "basis.noPlan": "No business plan recorded",
    "basis.noneInForce": "None in force",
    "basis.forecast.none": "No institution has completed a stage yet, so there is no pace to forecast from.",
    "basis.forecast.own": "Its own pace: the mean of its {n} completed stages; the range runs from its fastest to its slowest.",
    "basis.forecast.portfolio0":
      "No completed stage of its own, so the portfolio's pace: the median of {n} completed stages, with the range from the 25th to the 75th percentile.",
    "basis.forecast.portfolio1":
      "Only 1 completed stage of its own, so the portfolio's pace: the median of {n} completed stages, with the range from the 25th to the 75th percentile.",
  },
  es: {
    "basis.readinessPart": "{dimension} {mean}/4",
    "basis.readinessPart.notScored": "{dimension} sin puntuar",
    "basis.words": "{list}",
    "basis.totTrainers": "{n} formadores con una formación de formadores verificada",
    "basis.womenTrained": "{women} mujeres de {total} formados",
    "basis.certified": "{n} formadores con una certificación vigente",
    "basis.certifiedFor": "{n} formadores certificados en {module}",
    "basis.modulesBesides": "Módulos además de {module}: {list}",
    "basis.noModuleBesides": "Ningún módulo además de {module}",
    "basis.experts": "{n} formadores expertos nacionales",
    "basis.active": "{active} de {total} formadores certificados activos desde el {from}",
    "basis.cycles": "{n} ciclos terminados desde el {from}",
    "basis.noNonIlo": "Ninguna financiación ajena a la OIT",
    "basis.noIloCycles": "{n} ciclos sin personal ni fondos de la OIT",
    "basis.noReadiness": "No hay evaluación de preparación de la OIT registrada",
    "basis.readiness": "Evaluación de la OIT del {on}: {parts}",
    "basis.mouSigned": "Memorando firmado el {date}",
    "basis.noMou": "No hay memorando registrado",
    "basis.listed": "Incluido en la cartera de servicios",
    "basis.notListed": "Aún no incluido",
    "basis.adopted": "Adoptado el {date}",
    "basis.noPlan": "No hay plan de negocio registrado",
    "basis.noneInForce": "Ninguno vigente",
    "basis.forecast.none": "Ninguna institución ha completado aún una etapa, así que no hay ritmo del que partir.",
    "basis.forecast.own":
      "Su propio ritmo: la media de sus {n} etapas completadas; el intervalo va de la más rápida a la más lenta.",
    "basis.forecast.portfolio0":
      "Ninguna etapa completada propia, así que se usa el ritmo de la cartera: la mediana de {n} etapas completadas, con el intervalo del percentil 25 al 75.",
    "basis.forecast.portfolio1":
      "Solo 1 etapa completada propia, así que se usa el ritmo de la cartera: la mediana de {n} etapas completadas, con el intervalo del percentil 25 al 75.",
  },
  fr: {
    "basis.readinessPart": "{dimension} {mean}/4",
    "basis.readinessPart.notScored": "{dimension} non notée",
    "basis.words": "{list}",
    "basis.totTrainers": "{n} formateurs avec une formation de formateurs vérifiée",
    "basis.womenTrained": "{women} femmes sur {total} formés",
    "basis.certified": "{n} formateurs titulaires d’une certification en cours de validité",
    "basis.certifiedFor": "{n} formateurs certifiés pour {module}",
    "basis.modulesBesides": "Modules en plus de {module} : {list}",
    "basis.noModuleBesides": "Aucun module en plus de {module}",
    "basis.experts": "{n} formateurs experts nationaux",
    "basis.active": "{active} formateurs certifiés sur {total} actifs depuis le {from}",
    "basis.cycles": "{n} cycles terminés depuis le {from}",
    "basis.noNonIlo": "Aucun financement hors OIT",
    "basis.noIloCycles": "{n} cycles sans personnel ni fonds de l’OIT",
    "basis.noReadiness": "Aucune évaluation de préparation de l’OIT enregistrée",
    "basis.readiness": "Évaluation de l’OIT du {on} : {parts}",
    "basis.mouSigned": "Protocole d’accord signé le {date}",
    "basis.noMou": "Aucun protocole d’accord enregistré",
    "basis.listed": "Inscrit à l’offre de services",
    "basis.notListed": "Pas encore inscrit",
    "basis.adopted": "Adopté le {date}",
    "basis.noPlan": "Aucun plan d’affaires enregistré",
    "basis.noneInForce": "Aucun en vigueur",
    "basis.forecast.none":
      "Aucune institution n’a encore terminé d’étape : il n’y a pas de rythme sur lequel fonder une prévision.",
    "basis.forecast.own":
      "Son propre rythme : la moyenne de ses {n} étapes terminées ; la fourchette va de la plus rapide à la plus lente.",
    "basis.forecast.portfolio0":
      "Aucune étape terminée en propre, donc le rythme du portefeuille : la médiane de {n} étapes terminées, avec la fourchette du 25e au 75e centile.",
    "basis.forecast.portfolio1":
      "Une seule étape terminée en propre, donc le rythme du portefeuille : la médiane de {n} étapes terminées, avec la fourchette du 25e au 75e centile.",
  },
});
