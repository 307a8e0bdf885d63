//! THE column catalogue: every table of the dataset, every column in order,
//! with its type, constraints and French documentation. The CSV header, the
//! JSON keys, the Arrow schema, `schemas/*.json`, `validate` and the README's
//! data dictionary are all derived from this list; nothing else names columns.

/// The type of a column, as Table Schema and Arrow see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Table Schema `string`, Arrow utf8.
    Texte,
    /// Table Schema `integer`, Arrow int64.
    Entier,
    /// Table Schema `number`, Arrow float64.
    Nombre,
    /// Table Schema `boolean`, Arrow bool.
    Booleen,
    /// Table Schema `date` (`YYYY-MM-DD`), Arrow date32.
    Date,
    /// Table Schema `list` of strings with delimiter `;`, Arrow list<utf8>.
    Liste,
}

impl Kind {
    pub fn table_schema_type(self) -> &'static str {
        match self {
            Kind::Texte => "string",
            Kind::Entier => "integer",
            Kind::Nombre => "number",
            Kind::Booleen => "boolean",
            Kind::Date => "date",
            Kind::Liste => "list",
        }
    }
}

/// One column.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub unique: bool,
    /// Closed vocabulary, when the column has one.
    pub vocabulary: &'static [&'static str],
    /// Regular expression every value matches, when there is one.
    pub pattern: Option<&'static str>,
    pub example: &'static str,
}

/// A foreign key: `fields` of this table reference `reference_fields` of `reference_table`.
#[derive(Debug)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub reference_table: &'static str,
    pub reference_fields: &'static [&'static str],
}

/// One table.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: &'static [Field],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

impl Table {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    pub fn index(&self, name: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .unwrap_or_else(|| panic!("no column {name} in table {}", self.name))
    }
}

pub const STATUTS: &[&str] = &["obtenue", "en_cours", "visee", "non_retenue", "insuffisante"];
pub const PERIODES: &[&str] = &["jour", "semaine", "mois", "an"];
pub const QUALIFICATIFS: &[&str] =
    &["exact", "plus_de", "moins_de", "environ", "au_moins", "cible", "ordre_de_grandeur"];
pub const THEMES: &[&str] = &[
    "description",
    "apport_du_cloud",
    "autres_avantages",
    "facteurs_de_succes",
    "defis",
    "prochaines_etapes",
    "perspectives",
    "criteres_de_choix",
    "impact_organisationnel",
    "autre",
];
pub const CATEGORIES_MENTION: &[&str] = &["fournisseur_cloud", "technologie", "logiciel"];
pub const SEVERITES: &[&str] = &["info", "avertissement", "erreur"];
pub const FORMATS_SOURCE: &[&str] = &["markdown", "html"];

const ID_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
const TEMOIGNAGE_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*--[a-z0-9]+(-[a-z0-9]+)*$";

macro_rules! field {
    ($name:literal, $kind:ident, $title:literal, $desc:literal, ex $ex:literal $(, $opt:ident $( = $val:expr)?)*) => {{
        #[allow(unused_mut)]
        let mut f = Field {
            name: $name,
            title: $title,
            description: $desc,
            kind: Kind::$kind,
            required: false,
            unique: false,
            vocabulary: &[],
            pattern: None,
            example: $ex,
        };
        $( field!(@opt f, $opt $(, $val)?); )*
        f
    }};
    (@opt $f:ident, required) => { $f.required = true; };
    (@opt $f:ident, unique) => { $f.unique = true; };
    (@opt $f:ident, vocabulary, $v:expr) => { $f.vocabulary = $v; };
    (@opt $f:ident, pattern, $v:expr) => { $f.pattern = Some($v); };
}

pub static DOCUMENTS: Table = Table {
    name: "documents",
    title: "Pages sources",
    description: "Une ligne par page lue : ses métadonnées (front matter Jekyll ou en-tête HTML) et le nombre de témoignages qu'elle porte.",
    fields: &[
        field!("identifiant", Texte, "Identifiant du document", "Nom du fichier source sans extension, replié en ASCII minuscule [a-z0-9-].", ex "2024-07-03-cloud-temoignages", required, unique, pattern = ID_PATTERN),
        field!("titre", Texte, "Titre", "Titre de la page (front matter `title`, ses références de caractères décodées comme sur le site : `&nbsp;` → espace insécable ; sinon `<title>`, `og:title` ou `h1`).", ex "Cloud : série de témoignages portant sur les succès du cloud public"),
        field!("date_publication", Date, "Date de publication", "Date de publication (front matter `date`, sinon la date du nom de fichier Jekyll).", ex "2024-07-03"),
        field!("date_heure_publication", Texte, "Date et heure de publication", "Date et heure telles que déclarées, avec leur décalage horaire (RFC 3339), quand la page les donne.", ex "2024-07-03T13:49:00+02:00"),
        field!("categories", Liste, "Catégories", "Catégories Jekyll de la page, séparées par `;`.", ex "Actualités"),
        field!("mots_cles", Liste, "Mots-clés", "Mots-clés (`tags`) de la page, séparés par `;`.", ex "Cloud;Numérique;Sécurité"),
        field!("chapeau", Texte, "Chapeau", "Texte d'introduction (`chapeau` ou `chapeau-text`), tel qu'un lecteur le voit : Markdown et balises HTML retirés (un lien par son texte), références de caractères décodées, espaces normalisés.", ex "L’informatique en nuage (Cloud computing) est une formidable opportunité…"),
        field!("publie", Booleen, "Publié", "Valeur de `published` dans le front matter ; vide quand la page ne le précise pas (Jekyll publie alors la page).", ex "true"),
        field!("format_source", Texte, "Format source", "`markdown` (article Jekyll) ou `html` (page rendue).", ex "markdown", required, vocabulary = FORMATS_SOURCE),
        field!("fichier_source", Texte, "Fichier source", "Chemin du fichier lu, relatif au dossier d'entrée, avec des `/` ; quand deux entrées donnent le même chemin relatif, le chemin tel qu'il a été donné.", ex "pages/2024-07-03-cloud-temoignages.md", required, unique),
        field!("empreinte_source", Texte, "Empreinte du fichier source", "`sha256:` suivi de l'empreinte SHA-256 hexadécimale des octets du fichier source.", ex "sha256:7550478a243573fe35e253575b0e4d3c5e8f486203abc0af5c144599e78c2918", required, pattern = "^sha256:[0-9a-f]{64}$"),
        field!("nombre_temoignages", Entier, "Nombre de témoignages", "Nombre de témoignages extraits de la page.", ex "10", required),
    ],
    primary_key: &["identifiant"],
    foreign_keys: &[],
};

pub static TEMOIGNAGES: Table = Table {
    name: "temoignages",
    title: "Témoignages",
    description: "Une ligne par témoignage (élément d'accordéon) : le projet, l'organisation qui témoigne, et ce que le texte dit de son recours au cloud.",
    fields: &[
        field!("identifiant", Texte, "Identifiant du témoignage", "`<document>--<élément>` ; l'élément vient de `aria-controls`/`id` de l'accordéon, replié en ASCII minuscule.", ex "2024-07-03-cloud-temoignages--geoplateforme", required, unique, pattern = TEMOIGNAGE_PATTERN),
        field!("document", Texte, "Document", "Identifiant du document source (table `documents`).", ex "2024-07-03-cloud-temoignages", required),
        field!("rang", Entier, "Rang", "Position du témoignage dans la page, à partir de 1.", ex "3", required),
        field!("titre", Texte, "Titre", "Titre de l'élément (le projet), tel qu'écrit ; vide quand l'élément n'en a pas (anomalie `titre-element-absent`).", ex "La Géoplateforme"),
        field!("sigle", Texte, "Sigle du projet", "Sigle du projet, pris entre parenthèses à la fin du titre (deux majuscules au moins) ; vide quand c'est le sigle de l'organisation qui témoigne.", ex "DILE"),
        field!("alias", Liste, "Autres noms", "Autres noms ou anciens noms du projet trouvés dans le texte, séparés par `;`.", ex "ENDB"),
        field!("organisation", Texte, "Organisation", "Nom canonique de l'organisation qui témoigne, d'après le référentiel `input/referentiels/organisations.csv` ; une organisation absente du référentiel garde le nom tel qu'écrit dans l'attribution (anomalie `organisation-inconnue`).", ex "Institut national de l'information géographique et forestière"),
        field!("organisation_sigle", Texte, "Sigle de l'organisation", "Sigle de l'organisation qui témoigne.", ex "IGN"),
        field!("ministere", Texte, "Ministère", "Ministère de rattachement de l'organisation selon le référentiel (pour un ministère : lui-même) ; vide quand il n'est pas établi.", ex "Premier ministre"),
        field!("attribution", Texte, "Attribution", "La ligne « Témoignage de … » telle qu'écrite.", ex "Témoignage de l’Institut national de l’information géographique et forestière"),
        field!("description", Texte, "Description", "Réponse à la première question quand elle décrit le projet.", ex "La Géoplateforme est LE nouvel espace public de l’information géographique…"),
        field!("fournisseurs_cloud", Liste, "Fournisseurs cloud", "Fournisseurs cloud nommés dans le témoignage (orthographe canonique), séparés par `;`, sauf ceux qu'il écarte (table `mentions`, colonne `ecarte`).", ex "OVHcloud"),
        field!("qualifications", Liste, "Qualifications obtenues", "Qualifications ou certifications dont le statut est `obtenue`, séparées par `;`.", ex "SecNumCloud;HDS"),
        field!("secnumcloud", Texte, "Statut SecNumCloud", "Statut de la qualification SecNumCloud dans le témoignage, vide s'il n'en parle pas.", ex "obtenue", vocabulary = STATUTS),
        field!("hds", Texte, "Statut HDS", "Statut de la certification HDS (hébergeur de données de santé), vide s'il n'en parle pas.", ex "obtenue", vocabulary = STATUTS),
        field!("technologies", Liste, "Technologies", "Technologies et logiciels nommés, séparés par `;`, sauf ceux que le témoignage écarte (table `mentions`, colonne `ecarte`).", ex "Docker;Kubernetes"),
        field!("date_publication", Date, "Date de publication", "Date de publication du document source.", ex "2024-07-03"),
    ],
    primary_key: &["identifiant"],
    foreign_keys: &[ForeignKey { fields: &["document"], reference_table: "documents", reference_fields: &["identifiant"] }],
};

pub static QUESTIONS_REPONSES: Table = Table {
    name: "questions_reponses",
    title: "Questions et réponses",
    description: "Une ligne par paire question/réponse d'un témoignage, dans l'ordre de la page.",
    fields: &[
        field!("temoignage", Texte, "Témoignage", "Identifiant du témoignage (table `temoignages`).", ex "2024-07-03-cloud-temoignages--albert", required),
        field!("rang", Entier, "Rang", "Position de la paire dans le témoignage, à partir de 1.", ex "1", required),
        field!("question", Texte, "Question", "La question, telle qu'écrite (paragraphe en gras).", ex "Pouvez-vous décrire brièvement le projet ?", required),
        field!("theme", Texte, "Thème", "Thème de la question, d'après ses mots.", ex "description", required, vocabulary = THEMES),
        field!("reponse", Texte, "Réponse", "La réponse : paragraphes et éléments de liste qui suivent la question, un par ligne.", ex "Albert est l’IA générative souveraine de l’État…"),
    ],
    primary_key: &["temoignage", "rang"],
    foreign_keys: &[ForeignKey {
        fields: &["temoignage"],
        reference_table: "temoignages",
        reference_fields: &["identifiant"],
    }],
};

pub static INDICATEURS: Table = Table {
    name: "indicateurs",
    title: "Indicateurs chiffrés",
    description: "Une ligne par quantité énoncée dans un témoignage (volumes, usagers, durées, montants), avec son unité, sa période et son qualificatif.",
    fields: &[
        field!("identifiant", Texte, "Identifiant", "`<témoignage>--q<rang>`.", ex "2024-07-03-cloud-temoignages--geoplateforme--q1", required, unique),
        field!("temoignage", Texte, "Témoignage", "Identifiant du témoignage (table `temoignages`).", ex "2024-07-03-cloud-temoignages--geoplateforme", required),
        field!("rang", Entier, "Rang", "Position de la quantité dans le témoignage, à partir de 1.", ex "1", required),
        field!("libelle", Texte, "Libellé", "La chose comptée, telle qu'écrite.", ex "requêtes utilisateurs"),
        field!("valeur", Nombre, "Valeur", "Valeur (borne basse pour un ordre de grandeur), en unités de base : « 250 millions » = 250000000, « 2 To » = 2000000000000 ; négative pour une variation écrite avec son signe (« -15 % » = -15 ; le qualificatif porte alors sur l'ampleur de la variation : « jusqu'à -30 % » est -30 et `moins_de`).", ex "250000000", required),
        field!("valeur_max", Nombre, "Valeur maximale", "Borne haute d'un ordre de grandeur (« des centaines de milliers » : 100000 à 1000000).", ex "1000000"),
        field!("unite", Texte, "Unité", "La chose comptée au singulier, en ASCII (`requete`, `agent`…), ou une unité physique (`pourcent`, `minute`, `octet`, `euro`).", ex "requete", required),
        field!("periode", Texte, "Période", "Période de référence de la quantité.", ex "jour", vocabulary = PERIODES),
        field!("qualificatif", Texte, "Qualificatif", "Précision de la quantité : exacte, plancher, plafond, approximation, cible ou ordre de grandeur.", ex "plus_de", required, vocabulary = QUALIFICATIFS),
        field!("texte", Texte, "Texte", "La quantité telle qu'écrite.", ex "plus de 250 millions de requêtes utilisateurs par jour", required),
        field!("phrase", Texte, "Phrase", "La phrase qui la contient.", ex "La Géoplateforme devant traiter plus de 250 millions de requêtes utilisateurs par jour…", required),
    ],
    primary_key: &["identifiant"],
    foreign_keys: &[ForeignKey { fields: &["temoignage"], reference_table: "temoignages", reference_fields: &["identifiant"] }],
};

pub static QUALIFICATIONS: Table = Table {
    name: "qualifications",
    title: "Qualifications et certifications",
    description: "Une ligne par qualification ou certification citée dans un témoignage, avec son statut tel que la phrase le dit.",
    fields: &[
        field!("temoignage", Texte, "Témoignage", "Identifiant du témoignage (table `temoignages`).", ex "2024-07-03-cloud-temoignages--sesame-vitale", required),
        field!("rang", Entier, "Rang", "Position de la mention dans le témoignage, à partir de 1.", ex "1", required),
        field!("qualification", Texte, "Qualification", "Nom canonique : `SecNumCloud`, `HDS`, `ISO 27001`, `eIDAS`…", ex "SecNumCloud", required),
        field!("niveau", Texte, "Niveau", "Niveau de la qualification quand le texte le donne (eIDAS `substantiel`…).", ex "substantiel"),
        field!("autorite", Texte, "Autorité", "Autorité qui délivre la qualification, quand elle est connue (`ANSSI` pour SecNumCloud).", ex "ANSSI"),
        field!("statut", Texte, "Statut", "`obtenue`, `en_cours`, `visee`, `non_retenue` (écartée ou pas nécessaire) ou `insuffisante` (détenue mais jugée insuffisante).", ex "obtenue", required, vocabulary = STATUTS),
        field!("preuve", Texte, "Preuve", "La phrase dont le statut est tiré.", ex "…la certification SecNumCloud délivrée par l’ANSSI.", required),
    ],
    primary_key: &["temoignage", "rang"],
    foreign_keys: &[ForeignKey { fields: &["temoignage"], reference_table: "temoignages", reference_fields: &["identifiant"] }],
};

pub static MENTIONS: Table = Table {
    name: "mentions",
    title: "Fournisseurs, technologies et logiciels cités",
    description: "Une ligne par fournisseur cloud, technologie ou logiciel nommé dans un témoignage, d'après le référentiel `input/referentiels/mentions.csv`.",
    fields: &[
        field!("temoignage", Texte, "Témoignage", "Identifiant du témoignage (table `temoignages`).", ex "2024-07-03-cloud-temoignages--geoplateforme", required),
        field!("rang", Entier, "Rang", "Position de la mention dans le témoignage, à partir de 1.", ex "1", required),
        field!("categorie", Texte, "Catégorie", "`fournisseur_cloud`, `technologie` ou `logiciel`.", ex "fournisseur_cloud", required, vocabulary = CATEGORIES_MENTION),
        field!("nom", Texte, "Nom", "Nom canonique.", ex "OVHcloud", required),
        field!("ecarte", Booleen, "Écarté", "`true` quand le témoignage le nomme comme non utilisé : quitté (« nous avons quitté AWS »), non retenu (« plutôt qu'Azure », « AWS n'a pas été retenu »), évité (« sans recourir à Google Cloud »), nié (« n'utilise ni Kubernetes ni Docker ») ou origine d'une migration (« d'AWS vers OVHcloud ») ; `false` sinon. Un nom écarté ne figure pas dans les listes de la table `temoignages`.", ex "false", required),
        field!("preuve", Texte, "Preuve", "La phrase qui le nomme (utilisé, quand une phrase le dit).", ex "L’IGN a fait le choix d’un développement en mode cloud native chez OVHcloud.", required),
    ],
    primary_key: &["temoignage", "rang"],
    foreign_keys: &[ForeignKey { fields: &["temoignage"], reference_table: "temoignages", reference_fields: &["identifiant"] }],
};

pub static LIENS: Table = Table {
    name: "liens",
    title: "Liens",
    description:
        "Une ligne par lien hypertexte du contenu de la page, rattaché au témoignage qui le contient s'il y en a un.",
    fields: &[
        field!("document", Texte, "Document", "Identifiant du document (table `documents`).", ex "2024-07-03-cloud-temoignages", required),
        field!("rang", Entier, "Rang", "Position du lien dans le document, à partir de 1.", ex "1", required),
        field!("temoignage", Texte, "Témoignage", "Identifiant du témoignage qui contient le lien ; vide pour un lien hors témoignage.", ex "2024-07-03-cloud-temoignages--listes-electorales"),
        field!("url", Texte, "URL", "Cible du lien telle qu'écrite (espaces de bord retirés).", ex "https://www.service-public.fr/", required),
        field!("texte", Texte, "Texte", "Texte du lien.", ex "service-public.fr"),
        field!("domaine", Texte, "Domaine", "Nom d'hôte de l'URL en minuscules, vide pour un lien relatif.", ex "www.service-public.fr"),
    ],
    primary_key: &["document", "rang"],
    foreign_keys: &[
        ForeignKey { fields: &["document"], reference_table: "documents", reference_fields: &["identifiant"] },
        ForeignKey { fields: &["temoignage"], reference_table: "temoignages", reference_fields: &["identifiant"] },
    ],
};

pub static ANOMALIES: Table = Table {
    name: "anomalies",
    title: "Anomalies",
    description: "Une ligne par constat de qualité des données : code stable, sévérité, message en français et extrait du texte en cause.",
    fields: &[
        field!("document", Texte, "Document", "Identifiant du document concerné (table `documents`).", ex "2024-07-03-cloud-temoignages", required),
        field!("rang", Entier, "Rang", "Position du constat dans le document, à partir de 1.", ex "1", required),
        field!("temoignage", Texte, "Témoignage", "Identifiant du témoignage concerné, vide quand le constat porte sur la page.", ex "2024-07-03-cloud-temoignages--laboe-si"),
        field!("code", Texte, "Code", "Code stable en kebab-case (voir la documentation).", ex "question-repetee", required, pattern = ID_PATTERN),
        field!("severite", Texte, "Sévérité", "`info`, `avertissement` ou `erreur`.", ex "avertissement", required, vocabulary = SEVERITES),
        field!("message", Texte, "Message", "Description du constat, en français.", ex "La question « Pouvez-vous décrire brièvement le projet ? » apparaît deux fois.", required),
        field!("extrait", Texte, "Extrait", "Le texte en cause.", ex "Pouvez-vous décrire brièvement le projet ?"),
    ],
    primary_key: &["document", "rang"],
    foreign_keys: &[
        ForeignKey { fields: &["document"], reference_table: "documents", reference_fields: &["identifiant"] },
        ForeignKey { fields: &["temoignage"], reference_table: "temoignages", reference_fields: &["identifiant"] },
    ],
};

/// Every table, in the order files are listed in `datapackage.json`.
pub static TABLES: [&Table; 8] =
    [&DOCUMENTS, &TEMOIGNAGES, &QUESTIONS_REPONSES, &INDICATEURS, &QUALIFICATIONS, &MENTIONS, &LIENS, &ANOMALIES];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().copied().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each example of the schemas is a value its own field accepts.
    #[test]
    fn examples_match_their_patterns() {
        for t in TABLES {
            for f in t.fields {
                if let Some(p) = f.pattern {
                    let re = regex::Regex::new(p).unwrap();
                    assert!(re.is_match(f.example), "{}.{}: {:?} !~ {p}", t.name, f.name, f.example);
                }
                if !f.vocabulary.is_empty() && f.kind != Kind::Liste {
                    assert!(f.vocabulary.contains(&f.example), "{}.{}: {:?}", t.name, f.name, f.example);
                }
            }
        }
    }

    #[test]
    fn column_names_follow_data_gouv_conventions() {
        let re = regex::Regex::new("^[a-z][a-z0-9_]*$").unwrap();
        for t in TABLES {
            for f in t.fields {
                assert!(re.is_match(f.name) && f.name.len() <= 50, "{}.{}", t.name, f.name);
            }
            for k in t.primary_key {
                assert!(t.field(k).is_some_and(|f| f.required), "{}: key {k}", t.name);
            }
            for fk in t.foreign_keys {
                let other = table(fk.reference_table).unwrap();
                for (a, b) in fk.fields.iter().zip(fk.reference_fields) {
                    assert!(t.field(a).is_some() && other.field(b).is_some());
                }
            }
        }
    }
}
