package collection

// TopicInfo describes one target task of a collection: its id (the topic of
// the qrels), a display name, and a short factual description of what is
// classified, in which domain, with which labels. The name-match baseline
// uses the description as its query, so it names the dataset, its common
// abbreviation and its label words.
type TopicInfo struct {
	ID, Name, Description string
}
