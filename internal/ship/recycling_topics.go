package ship

import "github.com/ntcir-pmr/mreval/eval/collection"

// recyclingTopics are the 36 datasets of the model-recycling table. The
// descriptions were written for this kit from the datasets' published cards
// and papers; they carry no evaluation data.
var recyclingTopics = []collection.TopicInfo{
	{ID: "20_newsgroup", Name: "20 Newsgroups", Description: "20 Newsgroups: Usenet newsgroup posts (email-like messages) classified by topic into the 20 newsgroups they were posted to, covering computers, science, politics, religion, sports, autos and for-sale ads."},
	{ID: "ag_news", Name: "AG News", Description: "AG News: news articles (title and description) classified by topic into 4 classes: world, sports, business, science and technology."},
	{ID: "amazon_reviews_multi", Name: "Amazon Reviews (English)", Description: "Amazon Reviews Multi, English part: Amazon product reviews classified by star rating from 1 to 5 stars (review sentiment)."},
	{ID: "anli", Name: "ANLI", Description: "ANLI (Adversarial NLI): premise and hypothesis pairs written adversarially against strong models; classify entailment, neutral or contradiction (natural language inference)."},
	{ID: "boolq", Name: "BoolQ", Description: "BoolQ: naturally occurring yes/no questions from Google search queries, each paired with a Wikipedia passage; answer yes or no (reading comprehension question answering, SuperGLUE)."},
	{ID: "cb", Name: "CommitmentBank", Description: "CB (CommitmentBank): short texts with an embedded clause as premise and the clause as hypothesis; classify entailment, contradiction or neutral (natural language inference, SuperGLUE)."},
	{ID: "cola", Name: "CoLA", Description: "CoLA (Corpus of Linguistic Acceptability): English sentences from linguistics publications labelled grammatically acceptable or unacceptable (binary grammaticality classification, GLUE)."},
	{ID: "copa", Name: "COPA", Description: "COPA (Choice of Plausible Alternatives): a premise and two alternative sentences; choose the more plausible cause or effect (commonsense causal reasoning, SuperGLUE)."},
	{ID: "dbpedia", Name: "DBpedia", Description: "DBpedia: Wikipedia article abstracts classified by ontology class into 14 categories such as company, artist, athlete, building, village, animal, plant, album, film and book (topic classification)."},
	{ID: "esnli", Name: "e-SNLI", Description: "e-SNLI: SNLI sentence pairs built from image captions, with human explanations; classify whether the premise entails, contradicts or is neutral to the hypothesis (natural language inference)."},
	{ID: "financial_phrasebank", Name: "Financial PhraseBank", Description: "Financial PhraseBank: sentences from English financial news about listed companies classified by sentiment from an investor's view: positive, negative or neutral."},
	{ID: "imdb", Name: "IMDB", Description: "IMDB: long movie reviews from the Internet Movie Database classified by sentiment: positive or negative (binary sentiment analysis)."},
	{ID: "isear", Name: "ISEAR", Description: "ISEAR (International Survey on Emotion Antecedents and Reactions): first-person reports of emotional experiences classified into 7 emotions: joy, fear, anger, sadness, disgust, shame, guilt."},
	{ID: "mnli", Name: "MultiNLI", Description: "MNLI (MultiNLI, Multi-Genre Natural Language Inference): sentence pairs from ten genres of written and spoken English; classify entailment, neutral or contradiction (GLUE)."},
	{ID: "mrpc", Name: "MRPC", Description: "MRPC (Microsoft Research Paraphrase Corpus): sentence pairs from online news; classify whether the two sentences are paraphrases, semantically equivalent or not (GLUE)."},
	{ID: "multirc", Name: "MultiRC", Description: "MultiRC (Multi-Sentence Reading Comprehension): a paragraph, a question and a candidate answer; classify the answer as true or false (question answering, SuperGLUE)."},
	{ID: "poem_sentiment", Name: "Poem Sentiment", Description: "Poem Sentiment: verses from poems classified by sentiment: negative, positive, no impact or mixed."},
	{ID: "qnli", Name: "QNLI", Description: "QNLI (Question NLI): question and sentence pairs from Wikipedia, derived from SQuAD; classify whether the sentence contains the answer to the question (binary entailment, GLUE)."},
	{ID: "qqp", Name: "QQP", Description: "QQP (Quora Question Pairs): pairs of questions from the Quora question answering site; classify whether the two questions are duplicates (paraphrase detection, GLUE)."},
	{ID: "rotten_tomatoes", Name: "Rotten Tomatoes", Description: "Rotten Tomatoes (movie review polarity): sentences from movie reviews on Rotten Tomatoes classified by sentiment: positive or negative (binary)."},
	{ID: "rte", Name: "RTE", Description: "RTE (Recognizing Textual Entailment): premise and hypothesis pairs from news and Wikipedia; classify entailment or not entailment (binary natural language inference, GLUE)."},
	{ID: "sst2", Name: "SST-2", Description: "SST-2 (Stanford Sentiment Treebank, binary): sentences from movie reviews classified by sentiment: positive or negative (GLUE)."},
	{ID: "sst_5bins", Name: "SST-5", Description: "SST-5 (Stanford Sentiment Treebank, 5 classes): sentences from movie reviews classified into 5 sentiment levels: very negative, negative, neutral, positive, very positive (fine-grained sentiment)."},
	{ID: "stsb", Name: "STS-B", Description: "STS-B (Semantic Textual Similarity Benchmark): sentence pairs from news headlines, image and video captions and inference data, scored for semantic similarity from 0 to 5; regression evaluated by Spearman correlation (GLUE)."},
	{ID: "trec_coarse", Name: "TREC (coarse)", Description: "TREC question classification, coarse: open-domain factoid questions classified by expected answer type into 6 classes: abbreviation, entity, description, human, location, numeric value."},
	{ID: "trec_fine", Name: "TREC (fine)", Description: "TREC question classification, fine: open-domain factoid questions classified by expected answer type into 50 fine-grained classes (for example city, country, date, person, definition)."},
	{ID: "tweet_ev_emoji", Name: "TweetEval emoji", Description: "TweetEval emoji: tweets (Twitter posts) classified by the emoji they contain, among the 20 most frequent emojis (emoji prediction)."},
	{ID: "tweet_ev_emotion", Name: "TweetEval emotion", Description: "TweetEval emotion: tweets (Twitter posts) classified by emotion: anger, joy, optimism or sadness (emotion recognition)."},
	{ID: "tweet_ev_hate", Name: "TweetEval hate", Description: "TweetEval hate: tweets (Twitter posts) classified as hate speech against immigrants or women, or not hateful (binary hate speech detection)."},
	{ID: "tweet_ev_irony", Name: "TweetEval irony", Description: "TweetEval irony: tweets (Twitter posts) classified as ironic or not ironic (binary irony detection)."},
	{ID: "tweet_ev_offensive", Name: "TweetEval offensive", Description: "TweetEval offensive: tweets (Twitter posts) classified as offensive or not offensive (binary offensive language identification)."},
	{ID: "tweet_ev_sentiment", Name: "TweetEval sentiment", Description: "TweetEval sentiment: tweets (Twitter posts) classified by sentiment: negative, neutral or positive (sentiment analysis)."},
	{ID: "wic", Name: "WiC", Description: "WiC (Word-in-Context): a target word in two sentences; classify whether the word has the same sense in both (binary word sense disambiguation, SuperGLUE)."},
	{ID: "wnli", Name: "WNLI", Description: "WNLI (Winograd NLI): sentence pairs in which the hypothesis replaces an ambiguous pronoun by a candidate referent; classify entailment or not (binary coreference inference, GLUE)."},
	{ID: "wsc", Name: "WSC", Description: "WSC (Winograd Schema Challenge): a sentence, a pronoun and a candidate noun phrase; classify whether the pronoun refers to it (coreference resolution, commonsense reasoning, SuperGLUE)."},
	{ID: "yahoo_answers", Name: "Yahoo! Answers", Description: "Yahoo! Answers topics: questions and best answers from the Yahoo! Answers community site classified by topic into 10 categories: society and culture, science and mathematics, health, education, computers and internet, sports, business and finance, entertainment and music, family and relationships, politics and government."},
}

// recyclingTestTopics is the held-out split of Subtask A: the 12 datasets
// on which participants' rankings are evaluated. The other 24 are training
// topics whose qrels participants may use.
var recyclingTestTopics = []string{
	"tweet_ev_hate", "tweet_ev_irony", "financial_phrasebank", "rotten_tomatoes",
	"trec_fine", "ag_news", "boolq", "rte", "cb", "poem_sentiment", "sst_5bins",
	"yahoo_answers",
}
