import { defineMessages } from "../define";

/** The first run: the one-time page that creates the first ILO administrator. */
export default defineMessages({
  en: {
    "setup.pageTitle": "Set up Pathways",
    "setup.title": "Create the first administrator",
    "setup.intro":
      "This link works once. The account it creates administers Pathways: it adds the other accounts, the programme's phases and its countries.",
    "setup.name": "Your name",
    "setup.button": "Create the administrator",
    "setup.done": "The administrator account is ready. Sign in with it.",
    "setup.emailFixed": "The link was made for {email}.",
  },
  es: {
    "setup.pageTitle": "Configurar Pathways",
    "setup.title": "Crear el primer administrador",
    "setup.intro":
      "Este enlace funciona una sola vez. La cuenta que crea administra Pathways: añade las demás cuentas, las fases del programa y sus países.",
    "setup.name": "Su nombre",
    "setup.button": "Crear el administrador",
    "setup.done": "La cuenta de administrador está lista. Inicie sesión con ella.",
    "setup.emailFixed": "El enlace se creó para {email}.",
  },
  fr: {
    "setup.pageTitle": "Configurer Pathways",
    "setup.title": "Créer le premier administrateur",
    "setup.intro":
      "Ce lien ne fonctionne qu’une fois. Le compte qu’il crée administre Pathways : il ajoute les autres comptes, les phases du programme et ses pays.",
    "setup.name": "Votre nom",
    "setup.button": "Créer l’administrateur",
    "setup.done": "Le compte administrateur est prêt. Connectez-vous avec.",
    "setup.emailFixed": "Le lien a été créé pour {email}.",
  },
});
