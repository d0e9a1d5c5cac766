DROP TABLE search_index_state;
