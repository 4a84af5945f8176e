import type { FundingCommitmentsTable, InstitutionRole, InstitutionType } from "./schema";

/**
 * The demo data's cast: invented partner institutions in the nine SCORE countries, and the
 * names, currencies and sectors their records are drawn from. The names are plausible, not real
 * organisations; funders are described rather than named after real companies or ministries.
 */

export type StageKey = "engaged" | "tot" | "certification" | "cost_recovery" | "independent";
export const STAGE_ORDER: StageKey[] = ["engaged", "tot", "certification", "cost_recovery", "independent"];

export type SectorKey = "garments" | "furniture" | "auto" | "food" | "flowers" | "metal" | "plastics" | "electronics";

/** Why an institution departs from the ordinary profile of its stage; each story is told in seed-build.ts. */
export type Story =
  | "demo" // the main demo story: ready to report its first ToT cohort
  | "awaiting" // the gate to the next stage is already met: waits for ILO sign-off
  | "at_risk_certification" // certifications lapsed: below the certification floor, slip flagged
  | "at_risk_funding" // a sponsor left: non-ILO share under the cost-recovery floor
  | "expiring_soon" // meets its gate today, one certification expires in about three weeks
  | "no_mou" // still negotiating its MoU
  | "portfolio_returned" // its portfolio report went back for better evidence
  | "tot_report_pending" // a ToT cohort report waits for verification
  | "small_cohort" // a first ToT cohort too small for the gate
  | "cycle_returned"; // a training-cycle report went back for corrections

export interface InstitutionPlan {
  /** Stable slug: every id of this institution's records derives from it. */
  key: string;
  name: string;
  country: CountryCode;
  type: InstitutionType;
  role: InstitutionRole;
  stage: StageKey;
  sectors: SectorKey[];
  story?: Story;
  /** A report waiting for ILO verification; `escalated_cycle` has waited past the escalation time. */
  pending?: "cycle" | "escalated_cycle" | "certification";
  commitment?: { kind: FundingCommitmentsTable["kind"]; funder: string };
}

export type CountryCode = "CN" | "CO" | "GH" | "IN" | "ID" | "ZA" | "VN" | "PE" | "BO";

export const DEMO_INSTITUTIONS: InstitutionPlan[] = [
  {
    key: "cn-jiangsu",
    name: "Jiangsu Provincial SME Training Centre",
    country: "CN",
    type: "government_training",
    role: "national_coordinator",
    stage: "independent",
    sectors: ["electronics", "garments"],
    commitment: { kind: "government_budget_line", funder: "Jiangsu provincial SME skills budget line" },
  },
  {
    key: "cn-guangdong",
    name: "Guangdong Garment Makers' Federation",
    country: "CN",
    type: "industry_association",
    role: "implementing_partner",
    stage: "cost_recovery",
    sectors: ["garments"],
    commitment: { kind: "multi_year_sponsor", funder: "Apparel lead-buyer supplier programme" },
  },
  {
    key: "cn-shenzhen",
    name: "Shenzhen Lean Workplace Institute",
    country: "CN",
    type: "private_provider",
    role: "implementing_partner",
    stage: "tot",
    sectors: ["electronics", "plastics"],
  },
  {
    key: "co-valle",
    name: "Corporación Empresarial del Valle",
    country: "CO",
    type: "employers_organisation",
    role: "implementing_partner",
    stage: "certification",
    sectors: ["food", "plastics"],
  },
  {
    key: "co-antioquia",
    name: "Centro de Productividad de Antioquia",
    country: "CO",
    type: "government_training",
    role: "national_coordinator",
    stage: "cost_recovery",
    sectors: ["garments", "metal"],
  },
  {
    key: "co-flores",
    name: "Asociación de Floricultores de la Sabana",
    country: "CO",
    type: "industry_association",
    role: "sponsor",
    stage: "engaged",
    sectors: ["flowers"],
    story: "no_mou",
  },
  {
    key: "gh-accra",
    name: "Accra Enterprise Skills Centre",
    country: "GH",
    type: "private_provider",
    role: "implementing_partner",
    stage: "engaged",
    sectors: ["food", "garments"],
    story: "demo",
  },
  {
    key: "gh-federation",
    name: "Ghana Federation of Private Employers",
    country: "GH",
    type: "employers_organisation",
    role: "national_coordinator",
    stage: "certification",
    sectors: ["food", "metal"],
    story: "expiring_soon",
  },
  {
    key: "gh-kumasi",
    name: "Kumasi Wood and Furniture Association",
    country: "GH",
    type: "industry_association",
    role: "implementing_partner",
    stage: "tot",
    sectors: ["furniture"],
    story: "awaiting",
  },
  {
    key: "in-pune",
    name: "Pune Auto Component Makers' Council",
    country: "IN",
    type: "industry_association",
    role: "implementing_partner",
    stage: "cost_recovery",
    sectors: ["auto"],
    pending: "cycle",
  },
  {
    key: "in-tamilnadu",
    name: "Tamil Nadu Institute of Enterprise Skills",
    country: "IN",
    type: "government_training",
    role: "national_coordinator",
    stage: "independent",
    sectors: ["auto", "garments"],
    commitment: { kind: "government_budget_line", funder: "Tamil Nadu state MSME training budget line" },
  },
  {
    key: "in-ludhiana",
    name: "Ludhiana Small Manufacturers' Forum",
    country: "IN",
    type: "employers_organisation",
    role: "implementing_partner",
    stage: "engaged",
    sectors: ["metal"],
    story: "portfolio_returned",
  },
  {
    key: "id-jabar",
    name: "Balai Pelatihan Produktivitas Jawa Barat",
    country: "ID",
    type: "government_training",
    role: "national_coordinator",
    stage: "certification",
    sectors: ["garments", "food"],
  },
  {
    key: "id-jepara",
    name: "Asosiasi Pengrajin Mebel Jepara",
    country: "ID",
    type: "industry_association",
    role: "implementing_partner",
    stage: "tot",
    sectors: ["furniture"],
    pending: "certification",
  },
  {
    key: "id-surabaya",
    name: "Surabaya Enterprise Training Partners",
    country: "ID",
    type: "private_provider",
    role: "implementing_partner",
    stage: "cost_recovery",
    sectors: ["garments", "food"],
    story: "at_risk_funding",
  },
  {
    key: "za-gauteng",
    name: "Gauteng Manufacturing Skills Institute",
    country: "ZA",
    type: "government_training",
    role: "national_coordinator",
    stage: "independent",
    sectors: ["metal", "auto"],
    commitment: { kind: "multi_year_sponsor", funder: "Vehicle makers' supplier development fund" },
  },
  {
    key: "za-eastern-cape",
    name: "Eastern Cape Automotive Suppliers Forum",
    country: "ZA",
    type: "industry_association",
    role: "sponsor",
    stage: "certification",
    sectors: ["auto"],
    story: "at_risk_certification",
  },
  {
    key: "za-durban",
    name: "Durban Workplace Learning Consultants",
    country: "ZA",
    type: "private_provider",
    role: "implementing_partner",
    stage: "engaged",
    sectors: ["food", "plastics"],
    story: "tot_report_pending",
  },
  {
    key: "vn-hanoi",
    name: "Ha Noi Institute for Enterprise Skills",
    country: "VN",
    type: "government_training",
    role: "national_coordinator",
    stage: "independent",
    sectors: ["electronics", "garments"],
    pending: "escalated_cycle",
    commitment: { kind: "government_budget_line", funder: "Ha Noi city industry promotion budget line" },
  },
  {
    key: "vn-binhduong",
    name: "Binh Duong Wood Processing Association",
    country: "VN",
    type: "industry_association",
    role: "implementing_partner",
    stage: "cost_recovery",
    sectors: ["furniture"],
    story: "awaiting",
    commitment: { kind: "multi_year_sponsor", funder: "Furniture retailers' supplier programme" },
  },
  {
    key: "vn-danang",
    name: "Da Nang Employers' Council",
    country: "VN",
    type: "employers_organisation",
    role: "implementing_partner",
    stage: "tot",
    sectors: ["food", "electronics"],
    story: "cycle_returned",
  },
  {
    key: "pe-limanorte",
    name: "Asociación Textil de Lima Norte",
    country: "PE",
    type: "industry_association",
    role: "implementing_partner",
    stage: "certification",
    sectors: ["garments"],
    story: "awaiting",
  },
  {
    key: "pe-callao",
    name: "Centro de Capacitación Laboral del Callao",
    country: "PE",
    type: "government_training",
    role: "implementing_partner",
    stage: "engaged",
    sectors: ["food", "metal"],
    story: "small_cohort",
  },
  {
    key: "bo-elalto",
    name: "Cámara de Pequeños Industriales de El Alto",
    country: "BO",
    type: "employers_organisation",
    role: "implementing_partner",
    stage: "certification",
    sectors: ["garments", "metal"],
  },
  {
    key: "bo-santacruz",
    name: "Instituto Técnico Empresarial de Santa Cruz",
    country: "BO",
    type: "private_provider",
    role: "implementing_partner",
    stage: "tot",
    sectors: ["food", "furniture"],
  },
];

export interface CountryProfile {
  /** A typical full cost of one module cycle for one enterprise, in major units (about USD 2,000). */
  cycleCost: number;
  /** Amounts are quoted rounded to this many major units. */
  roundTo: number;
  /** ILO officers who verify reports and sign off stages in this country. */
  officers: string[];
  people: { female: string[]; male: string[]; family: string[]; familyFirst?: boolean };
  companyRoots: string[];
  companyName: (root: string, sector: Sector) => string;
}

export interface Sector {
  label: string;
  en: string;
  es: string;
  /** Share of women among the sector's workers. */
  womenShare: number;
}

export const SECTORS: Record<SectorKey, Sector> = {
  garments: { label: "Garments and textiles", en: "Garments", es: "Confecciones", womenShare: 0.7 },
  furniture: { label: "Furniture and wood products", en: "Furniture", es: "Muebles", womenShare: 0.2 },
  auto: { label: "Automotive components", en: "Auto Components", es: "Autopartes", womenShare: 0.2 },
  food: { label: "Food processing", en: "Foods", es: "Alimentos", womenShare: 0.5 },
  flowers: { label: "Cut flowers", en: "Flowers", es: "Flores", womenShare: 0.6 },
  metal: { label: "Metal products", en: "Metal Works", es: "Metalmecánica", womenShare: 0.1 },
  plastics: { label: "Plastics and packaging", en: "Plastics", es: "Plásticos", womenShare: 0.35 },
  electronics: { label: "Electronics assembly", en: "Electronics", es: "Electrónica", womenShare: 0.55 },
};

const SPANISH_FIRST = {
  female: ["María", "Ana", "Carolina", "Luisa", "Daniela", "Paola", "Gabriela", "Rosa", "Carmen", "Juliana", "Patricia", "Lucía"],
  male: ["Juan", "Carlos", "Andrés", "Luis", "Jorge", "Diego", "Miguel", "Felipe", "Javier", "Ricardo", "Óscar", "Fernando"],
};

export const COUNTRY_PROFILES: Record<CountryCode, CountryProfile> = {
  CN: {
    cycleCost: 15_000,
    roundTo: 100,
    officers: ["Zhang Min", "Liu Yang"],
    people: {
      female: ["Mei", "Xiuying", "Li Na", "Jing", "Hui", "Yan", "Fang", "Ting", "Xiaohong", "Lan"],
      male: ["Wei", "Jun", "Hao", "Qiang", "Lei", "Tao", "Ming", "Jian", "Bo", "Peng"],
      family: ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"],
      familyFirst: true,
    },
    companyRoots: ["Hengda", "Jinhua", "Xinyuan", "Huafeng", "Dongsheng", "Ruixiang", "Tianli", "Yongkang"],
    companyName: (root, s) => `${root} ${s.en} Co., Ltd.`,
  },
  CO: {
    cycleCost: 7_500_000,
    roundTo: 50_000,
    officers: ["Carolina Méndez", "Andrés Ospina"],
    people: {
      ...SPANISH_FIRST,
      family: [
        "Gómez",
        "Rodríguez",
        "Martínez",
        "García",
        "López",
        "Hernández",
        "Ramírez",
        "Torres",
        "Vargas",
        "Castro",
        "Ospina",
        "Restrepo",
      ],
    },
    companyRoots: ["La Esperanza", "El Rosal", "Santa Ana", "San Rafael", "Los Andes", "La Sabana", "El Porvenir", "Monteverde"],
    companyName: (root, s) => `${s.es} ${root} S.A.S.`,
  },
  GH: {
    cycleCost: 28_000,
    roundTo: 100,
    officers: ["Kwame Asante", "Abena Owusu"],
    people: {
      female: ["Ama", "Akosua", "Abena", "Efua", "Adwoa", "Yaa", "Afua", "Esi", "Mercy", "Gifty", "Comfort", "Linda"],
      male: ["Kwame", "Kofi", "Kwabena", "Yaw", "Kojo", "Kwaku", "Emmanuel", "Samuel", "Daniel", "Isaac", "Joseph", "Ebo"],
      family: ["Mensah", "Owusu", "Boateng", "Asante", "Osei", "Agyeman", "Appiah", "Amoah", "Darko", "Addo", "Quaye", "Tetteh"],
    },
    companyRoots: ["Golden Star", "Adom", "Nyame Dua", "Sika", "Asempa", "Kente", "Volta", "Akwaaba"],
    companyName: (root, s) => `${root} ${s.en} Ltd`,
  },
  IN: {
    cycleCost: 140_000,
    roundTo: 1_000,
    officers: ["Priya Raman", "Arvind Menon"],
    people: {
      female: ["Priya", "Anita", "Sunita", "Kavita", "Meena", "Lakshmi", "Deepa", "Pooja", "Neha", "Radha", "Shalini", "Divya"],
      male: ["Rahul", "Amit", "Suresh", "Rajesh", "Vikram", "Arjun", "Sanjay", "Ravi", "Anil", "Manoj", "Karthik", "Prakash"],
      family: ["Sharma", "Patel", "Kumar", "Singh", "Iyer", "Nair", "Reddy", "Joshi", "Deshpande", "Gupta", "Rao", "Pillai"],
    },
    companyRoots: ["Shree Ganesh", "Sai Krishna", "Om Sakthi", "Bharat", "Lakshmi", "Kaveri", "Sunrise", "Ambika"],
    companyName: (root, s) => `${root} ${s.en} Pvt Ltd`,
  },
  ID: {
    cycleCost: 28_000_000,
    roundTo: 100_000,
    officers: ["Dewi Lestari", "Arief Nugroho"],
    people: {
      female: ["Siti", "Dewi", "Sri", "Rina", "Wulan", "Ayu", "Putri", "Ratna", "Indah", "Nur"],
      male: ["Budi", "Agus", "Eko", "Dedi", "Hendra", "Rudi", "Joko", "Bambang", "Andi", "Yusuf"],
      family: [
        "Santoso",
        "Wijaya",
        "Saputra",
        "Hidayat",
        "Kurniawan",
        "Pratama",
        "Setiawan",
        "Susanto",
        "Nugroho",
        "Purnomo",
        "Gunawan",
        "Hartono",
      ],
    },
    companyRoots: [
      "Jati Mulia",
      "Sinar Jaya",
      "Maju Bersama",
      "Karya Abadi",
      "Mitra Sejati",
      "Cahaya Baru",
      "Sumber Rejeki",
      "Bintang Timur",
    ],
    companyName: (root, s) => `PT ${root} ${s.en}`,
  },
  ZA: {
    cycleCost: 36_000,
    roundTo: 100,
    officers: ["Thandi Nkosi", "Johan Botha"],
    people: {
      female: [
        "Thandi",
        "Nomsa",
        "Lerato",
        "Zanele",
        "Palesa",
        "Naledi",
        "Ayanda",
        "Sarah",
        "Anneke",
        "Fatima",
        "Busisiwe",
        "Precious",
      ],
      male: ["Sipho", "Thabo", "Mandla", "Bongani", "Johan", "Pieter", "Themba", "Lungile", "Kagiso", "Ahmed", "David", "Tshepo"],
      family: [
        "Nkosi",
        "Dlamini",
        "Mokoena",
        "Khumalo",
        "Ndlovu",
        "van der Merwe",
        "Botha",
        "Naidoo",
        "Mahlangu",
        "Molefe",
        "Pillay",
        "Zulu",
      ],
    },
    companyRoots: ["Ubuntu", "Highveld", "Karoo", "Umoya", "Protea", "Msunduzi", "Coega", "Drakensberg"],
    companyName: (root, s) => `${root} ${s.en} (Pty) Ltd`,
  },
  VN: {
    cycleCost: 45_000_000,
    roundTo: 100_000,
    officers: ["Nguyen Thi Lan", "Tran Quoc Bao"],
    people: {
      female: [
        "Thi Lan",
        "Thi Hoa",
        "Thu Trang",
        "Thi Mai",
        "Ngoc Anh",
        "Thi Huong",
        "Thanh Thuy",
        "Bich Ngoc",
        "Thi Hanh",
        "Minh Chau",
      ],
      male: [
        "Van Minh",
        "Duc Anh",
        "Van Hung",
        "Quang Huy",
        "Van Nam",
        "Minh Tuan",
        "Thanh Son",
        "Van Long",
        "Hoang Nam",
        "Duc Thang",
      ],
      family: ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho", "Ngo"],
      familyFirst: true,
    },
    companyRoots: ["Binh Minh", "Thanh Dat", "Phuc Loc", "Tan Tien", "Hong Phuc", "Minh Quang", "An Khang", "Dai Loi"],
    companyName: (root, s) => `${root} ${s.en} Co., Ltd`,
  },
  PE: {
    cycleCost: 7_000,
    roundTo: 50,
    officers: ["Jorge Salazar", "Rocío Paredes"],
    people: {
      ...SPANISH_FIRST,
      family: [
        "Quispe",
        "Flores",
        "Mamani",
        "Huamán",
        "Chávez",
        "Rojas",
        "Vásquez",
        "Ramos",
        "Mendoza",
        "Salazar",
        "Paredes",
        "Castillo",
      ],
    },
    companyRoots: ["Santa Rosa", "Los Incas", "San Martín", "El Sol", "Inti", "Andina", "Pachacámac", "Miraflores"],
    companyName: (root, s) => `${s.es} ${root} S.A.C.`,
  },
  BO: {
    cycleCost: 12_500,
    roundTo: 50,
    officers: ["Lucía Quispe", "Marcelo Vargas"],
    people: {
      ...SPANISH_FIRST,
      family: [
        "Mamani",
        "Quispe",
        "Choque",
        "Condori",
        "Flores",
        "Gutiérrez",
        "Rojas",
        "Vargas",
        "Mendoza",
        "Apaza",
        "Torrez",
        "Villca",
      ],
    },
    companyRoots: ["Illimani", "San Pedro", "Los Andes", "Chiquitana", "Tunari", "Sajama", "Cordillera", "Pampa"],
    companyName: (root, s) => `${s.es} ${root} S.R.L.`,
  },
};

/** What the ILO officer wrote when signing off each stage. */
export const SIGN_OFF_NOTES: Record<StageKey, string> = {
  engaged: "Partner institution registered",
  tot: "ToT cohort verified: a pool of trained trainers, women among them",
  certification: "Certified trainers cover M1 and further modules; a national expert trainer is named",
  cost_recovery: "Business plan adopted; non-ILO sources cover more than half of delivery cost",
  independent: "Cycles delivered without ILO staff or money; sustained national funding in force",
};
