//! The rules' chat (spec §7): red flags get the fixed referral (119, 109) without a model
//! call; otherwise an FAQ of ko/en entries matched by keywords, else a short general
//! answer; symptom words always add a doctor referral; follow-up questions by topic.

pub const REPLY_MAX: usize = 300;

/// Words that need help now (ko/en).
const RED_FLAGS: &[&str] = &[
    "chest pain",
    "shortness of breath",
    "can't breathe",
    "fainting",
    "fainted",
    "paralysis",
    "vomiting blood",
    "black stool",
    "suicide",
    "kill myself",
    "want to die",
    "흉통",
    "가슴 통증",
    "가슴이 아파",
    "호흡곤란",
    "숨이 차",
    "실신",
    "기절",
    "마비",
    "피를 토",
    "혈변",
    "자살",
    "죽고 싶",
];

/// Symptoms: the answer is general and adds a doctor referral.
const SYMPTOMS: &[&str] = &[
    "pain",
    "ache",
    "dizzy",
    "fever",
    "cough",
    "bleeding",
    "numb",
    "symptom",
    "아파",
    "통증",
    "어지러",
    "열이",
    "기침",
    "출혈",
    "저려",
    "증상",
    "두통",
    "복통",
];

const PROFANITY: &[&str] = &[
    "fuck", "shit", "bitch", "씨발", "시발", "개새", "병신", "좆",
];

pub struct Entry {
    pub topic: &'static str,
    pub keywords: &'static [&'static str],
    pub ko: &'static str,
    pub en: &'static str,
}

pub const FAQ: &[Entry] = &[
    Entry {
        topic: "checkup",
        keywords: &["blood pressure", "혈압"],
        ko: "혈압은 수축기 120 미만, 이완기 80 미만이 정상 범위예요. 싱겁게 먹기, 걷기, 충분한 수면이 도움이 돼요.",
        en: "Normal blood pressure is below 120/80 mmHg. Less salt, regular walking and enough sleep help.",
    },
    Entry {
        topic: "checkup",
        keywords: &["blood sugar", "glucose", "혈당", "공복혈당"],
        ko: "공복혈당은 100 mg/dL 미만이 정상 범위예요. 식후 걷기와 채소 먼저 먹기가 도움이 돼요.",
        en: "Fasting glucose below 100 mg/dL is the normal band. A walk after meals and vegetables first help.",
    },
    Entry {
        topic: "checkup",
        keywords: &["bmi", "체질량", "비만"],
        ko: "BMI는 체중(kg)을 키(m)의 제곱으로 나눈 값이에요. 한국 기준 18.5–22.9가 정상, 23–24.9는 주의 범위예요.",
        en: "BMI is weight in kg divided by height in m squared. In Korea 18.5–22.9 is normal and 23–24.9 is the warning band.",
    },
    Entry {
        topic: "checkup",
        keywords: &["cholesterol", "ldl", "hdl", "콜레스테롤", "중성지방"],
        ko: "LDL 콜레스테롤은 130 미만, 중성지방은 150 미만이 정상 범위예요. 튀김을 줄이고 걷기를 늘려 보세요.",
        en: "LDL below 130 and triglycerides below 150 mg/dL are normal. Fewer fried foods and more walking help.",
    },
    Entry {
        topic: "checkup",
        keywords: &["liver", "ast", "alt", "ggt", "간 수치", "간 기능", "간수치"],
        ko: "간 수치(AST, ALT, 감마GTP)는 음주와 체중의 영향을 받아요. 금주와 체중 관리가 수치를 낮추는 데 도움이 돼요.",
        en: "Liver values (AST, ALT, GGT) respond to alcohol and weight. Drinking less and managing weight help.",
    },
    Entry {
        topic: "checkup",
        keywords: &["kidney", "egfr", "creatinine", "신장", "크레아티닌"],
        ko: "eGFR은 신장이 노폐물을 거르는 능력을 나타내요. 60 이상이면 대체로 정상 범위이고, 물 자주 마시기와 싱겁게 먹기가 좋아요.",
        en: "eGFR shows how well the kidneys filter. 60 or more is generally normal; water and less salt are good habits.",
    },
    Entry {
        topic: "checkup",
        keywords: &["hemoglobin", "anemia", "혈색소", "빈혈"],
        ko: "혈색소가 낮으면 빈혈 범위일 수 있어요. 철분이 많은 음식과 비타민 C를 함께 먹어 보세요.",
        en: "Low haemoglobin may be in the anaemia band. Iron-rich food with vitamin C helps absorption.",
    },
    Entry {
        topic: "checkup",
        keywords: &[
            "band", "range", "warning", "danger", "범위", "주의", "위험", "정상",
        ],
        ko: "각 항목은 성별 기준에 따라 정상·주의·위험 범위로 나뉘어요. 위험 범위는 의사와 상담해 재검사를 받아 보세요.",
        en: "Each item is judged normal, warning or danger against sex-specific bands. For danger, see a doctor for a recheck.",
    },
    Entry {
        topic: "checkup",
        keywords: &["score", "점수", "위험도"],
        ko: "건강 점수는 100점에서 항목 그룹별 감점을 뺀 값이에요. 60점 미만이거나 위험 그룹이 둘 이상이면 위험도 높음이에요.",
        en: "The health score is 100 minus penalties per group. Below 60, or two groups in danger, is high risk.",
    },
    Entry {
        topic: "app",
        keywords: &["streak", "연속"],
        ko: "연속 기록은 미션을 하루도 빠짐없이 완료한 날 수예요. 오늘 아직 안 했어도 어제까지 했다면 유지돼요.",
        en: "A streak counts consecutive days a mission was completed. It holds today if you did it yesterday.",
    },
    Entry {
        topic: "app",
        keywords: &["point", "포인트", "점수 얻"],
        ko: "미션 완료마다 10점, 연속 3–6일이면 20점, 7일 이상이면 30점을 받아요. 취소하면 받은 만큼 빠져요.",
        en: "Each completion earns 10 points, 20 at a 3–6 day streak and 30 from 7 days. An undo takes them back.",
    },
    Entry {
        topic: "app",
        keywords: &["reset", "change mission", "초기화", "미션 변경", "바꾸"],
        ko: "미션이 맞지 않으면 이유를 골라 초기화할 수 있어요(하루 3번). 끝난 미션을 뺀 새 추천을 받아요.",
        en: "If missions don't fit, reset them with a reason (3 a day) and get new recommendations without them.",
    },
    Entry {
        topic: "lifestyle",
        keywords: &["sleep", "잠", "수면"],
        ko: "성인은 하루 7–9시간 수면이 권장돼요. 자기 전 휴대폰을 멀리하고 같은 시간에 잠자리에 들어 보세요.",
        en: "Adults are advised 7–9 hours of sleep. Keep your phone away before bed and sleep at a regular time.",
    },
    Entry {
        topic: "diet",
        keywords: &["water", "물", "수분"],
        ko: "하루 물 6–8잔을 나눠 마시는 것이 좋아요. 커피나 단 음료 대신 물을 골라 보세요.",
        en: "Six to eight glasses of water a day, spread out, is a good aim. Choose water over coffee or sweet drinks.",
    },
    Entry {
        topic: "exercise",
        keywords: &["walk", "걷기", "산책", "걸음"],
        ko: "식후 10분 걷기만으로도 혈당과 체중 관리에 도움이 돼요. 일주일에 150분 이상 걷는 것을 목표로 해 보세요.",
        en: "Even a 10-minute walk after meals helps blood sugar and weight. Aim for 150 minutes a week.",
    },
    Entry {
        topic: "exercise",
        keywords: &["stretch", "스트레칭", "뒷목", "목이", "어깨", "허리"],
        ko: "한 시간마다 일어나 목과 어깨를 천천히 늘려 주세요. 한 동작을 15–30초 유지하면 좋아요.",
        en: "Stand up every hour and stretch your neck and shoulders slowly, holding each move 15–30 seconds.",
    },
    Entry {
        topic: "lifestyle",
        keywords: &["smok", "cigarette", "quit", "담배", "흡연", "금연"],
        ko: "금연은 혈압과 혈관 건강에 가장 큰 도움이 돼요. 금연상담전화 1544-9030에서 무료 상담을 받을 수 있어요.",
        en: "Quitting smoking helps blood pressure and vessels most. The quit line 1544-9030 offers free counselling.",
    },
    Entry {
        topic: "lifestyle",
        keywords: &["alcohol", "drink", "술", "음주"],
        ko: "술은 남성 하루 2잔, 여성 1잔 이하로 줄이고, 일주일에 이틀 이상은 마시지 않는 날을 만들어 보세요.",
        en: "Keep to two drinks a day for men and one for women, with at least two alcohol-free days a week.",
    },
    Entry {
        topic: "lifestyle",
        keywords: &["stress", "스트레스", "불안"],
        ko: "스트레스가 쌓이면 5분 호흡 명상이나 짧은 산책이 도움이 돼요. 힘든 상태가 이어지면 전문가와 상담해 보세요.",
        en: "When stress builds, 5 minutes of slow breathing or a short walk helps. If it persists, talk to a professional.",
    },
    Entry {
        topic: "diet",
        keywords: &["salt", "sodium", "소금", "나트륨", "짠"],
        ko: "국물을 남기고 양념을 줄이면 나트륨을 크게 줄일 수 있어요. 하루 소금 5 g 이하가 권장돼요.",
        en: "Leaving soup broth and using less seasoning cuts sodium a lot. Under 5 g of salt a day is advised.",
    },
    Entry {
        topic: "diet",
        keywords: &["vegetable", "diet", "food", "채소", "식단", "음식"],
        ko: "식사 때 채소를 먼저 먹고, 잡곡밥과 단백질 반찬을 곁들이면 혈당이 천천히 올라요.",
        en: "Eat vegetables first, with whole grains and protein, so blood sugar rises slowly.",
    },
    Entry {
        topic: "exercise",
        keywords: &["exercise", "workout", "운동", "근력"],
        ko: "일주일에 중간 강도 유산소 150분과 근력 운동 2회를 권장해요. 작은 미션부터 꾸준히 시작해 보세요.",
        en: "Aim for 150 minutes of moderate cardio and two strength sessions a week, starting with small missions.",
    },
];

pub enum Verdict {
    RedFlag,
    Profanity,
    Answer {
        text: String,
        topic: &'static str,
        referral: bool,
    },
}

fn contains_any(text: &str, words: &[&str]) -> bool {
    let t = text.to_lowercase();
    words.iter().any(|w| t.contains(w))
}

pub fn is_profane(text: &str) -> bool {
    contains_any(text, PROFANITY)
}

pub fn red_flag_reply(language: &str) -> &'static str {
    if language == "en" {
        "This may need urgent care. Call 119 now for an emergency. If you are thinking about suicide, call 109 (suicide-prevention line, 24 h). Please see a doctor."
    } else {
        "지금 바로 도움이 필요할 수 있어요. 응급 상황이면 119에 전화하세요. 극단적인 생각이 든다면 자살예방상담전화 109(24시간)에 연락하세요. 꼭 의사의 진료를 받으세요."
    }
}

pub fn answer(message: &str, language: &str) -> Verdict {
    if contains_any(message, RED_FLAGS) {
        return Verdict::RedFlag;
    }
    if is_profane(message) {
        return Verdict::Profanity;
    }
    let en = language == "en";
    let t = message.to_lowercase();
    // The entry with the most keyword hits; on a tie the earlier (more specific) one.
    let mut hit: Option<(&Entry, usize)> = None;
    for e in FAQ {
        let n = e.keywords.iter().filter(|k| t.contains(*k)).count();
        if n > 0 && hit.is_none_or(|(_, best)| n > best) {
            hit = Some((e, n));
        }
    }
    let hit = hit.map(|(e, _)| e);
    let (mut text, topic) = match hit {
        Some(e) => ((if en { e.en } else { e.ko }).to_string(), e.topic),
        None if en => ("I can help with checkup items and bands, missions, streaks, points, sleep, water, walking, stretching, smoking and drinking. What would you like to know?".to_string(), "default"),
        None => ("검진 항목과 범위, 미션, 연속 기록, 포인트, 수면, 물, 걷기, 스트레칭, 금연, 음주에 대해 물어보세요.".to_string(), "default"),
    };
    let referral = contains_any(message, SYMPTOMS);
    if referral {
        text.push_str(if en {
            " Since you mention symptoms, please see a doctor."
        } else {
            " 증상이 있다면 꼭 의사의 진료를 받아 보세요."
        });
    }
    Verdict::Answer {
        text: crate::domain::texts::clip(text, REPLY_MAX),
        topic,
        referral,
    }
}

/// Three follow-up questions (≤ 60 chars) by topic.
pub fn follow_ups(topic: &str, language: &str) -> [&'static str; 3] {
    match (topic, language == "en") {
        ("exercise", false) => [
            "하루 몇 분 걷는 게 좋을까요?",
            "사무실에서 할 수 있는 스트레칭은?",
            "근력 운동은 얼마나 자주 하나요?",
        ],
        ("exercise", true) => [
            "How many minutes should I walk a day?",
            "Which stretches work at a desk?",
            "How often should I do strength training?",
        ],
        ("diet", false) => [
            "나트륨을 줄이는 방법은?",
            "혈당에 좋은 식사 순서는?",
            "하루 물은 얼마나 마셔야 하나요?",
        ],
        ("diet", true) => [
            "How can I cut sodium?",
            "Which meal order helps blood sugar?",
            "How much water should I drink a day?",
        ],
        (_, false) => [
            "내 검진 결과에서 주의할 항목은?",
            "연속 기록은 어떻게 계산되나요?",
            "잠을 잘 자는 방법은?",
        ],
        (_, true) => [
            "Which of my checkup items need attention?",
            "How are streaks counted?",
            "How can I sleep better?",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faq_has_twenty_entries_and_answers_fit() {
        assert!(FAQ.len() >= 20);
        for e in FAQ {
            assert!(e.ko.chars().count() <= REPLY_MAX && e.en.chars().count() <= REPLY_MAX);
        }
        for l in ["ko", "en"] {
            for t in ["exercise", "diet", "default"] {
                assert!(follow_ups(t, l).iter().all(|q| q.chars().count() <= 60));
            }
        }
    }

    #[test]
    fn red_flags_symptoms_and_matches() {
        assert!(matches!(
            answer("갑자기 가슴 통증이 있어요", "ko"),
            Verdict::RedFlag
        ));
        assert!(matches!(answer("I want to die", "en"), Verdict::RedFlag));
        assert!(matches!(answer("씨발 뭐야", "ko"), Verdict::Profanity));
        match answer("혈압 관리는 어떻게 하나요? 머리가 어지러워요", "ko") {
            Verdict::Answer { text, referral, .. } => {
                assert!(text.contains("120") && referral && text.contains("의사"));
            }
            _ => panic!("an answer"),
        }
        match answer("how do I quit smoking", "en") {
            Verdict::Answer { text, referral, .. } => {
                assert!(text.contains("1544-9030") && !referral)
            }
            _ => panic!("an answer"),
        }
    }
}
